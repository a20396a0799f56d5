using Microsoft.Extensions.Options;

namespace EventLog.Server.Auth;

/// <summary>Refuses to start with unusable auth settings.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (options.Mode == AuthMode.Production && options.Tokens.Count == 0)
        {
            failures.Add("Auth:Mode is Production but no Auth:Tokens are configured; configure tokens or use Development mode.");
        }
        for (var i = 0; i < options.Tokens.Count; i++)
        {
            var token = options.Tokens[i];
            if (string.IsNullOrWhiteSpace(token.Name) || string.IsNullOrWhiteSpace(token.Project))
            {
                failures.Add($"Auth:Tokens:{i} needs Name and Project.");
            }
            if (token.Sha256.Length != 64 || !token.Sha256.All(Uri.IsHexDigit))
            {
                failures.Add($"Auth:Tokens:{i}:Sha256 must be 64 hex digits (the SHA-256 of the token).");
            }
            try
            {
                if (TokenStore.ParseRoles(token.Roles) == Roles.None)
                {
                    failures.Add($"Auth:Tokens:{i}:Roles must name at least one role.");
                }
            }
            catch (InvalidOperationException ex)
            {
                failures.Add($"Auth:Tokens:{i}:Roles: {ex.Message}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
