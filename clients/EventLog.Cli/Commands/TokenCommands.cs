using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using EventLog.Cli.Output;

namespace EventLog.Cli.Commands;

/// <summary>
/// <c>eventlog token hash [token]</c>: the value the server's configuration stores. Without the argument the
/// token is read from standard input, so it stays out of shell history and the process list.
/// </summary>
internal static class TokenCommands
{
    public static Command Create()
    {
        var token = new Command("token", "Bearer token helpers");
        var value = new Argument<string?>("token")
        {
            Description = "The token to hash; omit it to read the token from standard input (kept out of shell history and ps)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var hash = new Command("hash", "Print the token's SHA-256 for the server's Auth:Tokens:n:Sha256 setting (no server needed)") { value };
        hash.SetAction(parse =>
        {
            var plain = parse.GetValue(value) ?? ReadToken(Console.In);
            if (string.IsNullOrEmpty(plain))
            {
                parse.InvocationConfiguration.Error.WriteLine("error: no token: give it as the argument or on standard input.");
                return ExitCodes.Invalid;
            }
            var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plain)));
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(GlobalOptions.Json))
            {
                Json.WriteValue(output, new { sha256 = digest });
            }
            else
            {
                output.WriteLine(digest);
            }
            return ExitCodes.Success;
        });
        token.Subcommands.Add(hash);
        return token;
    }

    /// <summary>The first line of <paramref name="input"/>, without its line break: what `echo` or a here-string gives.</summary>
    private static string? ReadToken(TextReader input) => input.ReadLine()?.TrimEnd('\r');
}
