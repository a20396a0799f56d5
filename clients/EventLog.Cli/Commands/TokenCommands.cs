using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using EventLog.Cli.Output;

namespace EventLog.Cli.Commands;

/// <summary><c>eventlog token hash &lt;token&gt;</c>: the value the server's configuration stores.</summary>
internal static class TokenCommands
{
    public static Command Create()
    {
        var token = new Command("token", "Bearer token helpers");
        var value = new Argument<string>("token") { Description = "The token to hash" };
        var hash = new Command("hash", "Print the token's SHA-256 for the server's Auth:Tokens:n:Sha256 setting (no server needed)") { value };
        hash.SetAction(parse =>
        {
            var plain = parse.GetValue(value)!;
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
}
