
namespace EventLog.Server.Auth;

/// <summary>Refuses to start with unusable auth settings.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (options.Mode == AuthMode.Production && options.Tokens.Count == 0)
        {
            failures.Add("No tokens are configured, and outside the Development environment the server accepts configured tokens only. " +
                "Configure at least one: Auth:Tokens:0:Name, Auth:Tokens:0:Sha256 (what 'eventlog token hash' prints), Auth:Tokens:0:Project " +
                "and Auth:Tokens:0:Roles:0 (reader, member, agent or admin), for example as the environment variables Auth__Tokens__0__Name... " +
                "For a trial on your own machine, run with ASPNETCORE_ENVIRONMENT=Development instead.");
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
