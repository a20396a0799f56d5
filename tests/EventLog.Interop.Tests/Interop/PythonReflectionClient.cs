using System.Text.Json;

namespace EventLog.Interop.Tests.Interop;

/// <summary>
/// Runs tests/interop/python/reflection_client.py: python grpcio learns a method's schema from the
/// server's reflection service alone, then calls it with a JSON request.
/// </summary>
public static class PythonReflectionClient
{
    /// <summary>What the client saw: the listed services, the files of the schema and the responses as JSON.</summary>
    public sealed record Result(IReadOnlyList<string> Services, IReadOnlyList<string> Files, IReadOnlyList<JsonElement> Responses);

    /// <summary>Calls <paramref name="method"/> (<c>package.Service/Method</c>) on 127.0.0.1:<paramref name="port"/>; fails with the client's output unless it passed.</summary>
    public static async Task<Result> RunAsync(int port, string version, string method, string requestJson, IEnumerable<string>? metadata = null, IEnumerable<string>? expectFiles = null)
    {
        ExternalTools.SkipUnlessPython();
        using var client = await ChildProcess.RunAsync(
            ExternalTools.Python,
            [
                Path.Combine(ExternalTools.PythonScripts, "reflection_client.py"),
                "--server", $"127.0.0.1:{port}", "--version", version, "--method", method, "--request", requestJson,
                .. (metadata ?? []).SelectMany(m => new[] { "--metadata", m }),
                .. (expectFiles ?? []).SelectMany(f => new[] { "--expect-file", f }),
            ],
            TimeSpan.FromSeconds(60));
        var lines = client.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(client.ExitCode == 0 && lines.Contains("PASS"), $"`{client.CommandLine}` exited {client.ExitCode}:\n{client.Output}");
        return new Result(
            Field(lines, "SERVICES ").Split(','),
            Field(lines, "FILES ").Split(','),
            lines.Where(l => l.StartsWith("RESPONSE ", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l["RESPONSE ".Length..]).RootElement).ToList());
    }

    private static string Field(string[] lines, string prefix) => lines.Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];
}
