using EventLog.Interop.Tests.Hosting;

namespace EventLog.Interop.Tests.Interop;

/// <summary>
/// The scenario every client peer script runs against the real host (tests/interop/python/eventlog_client.py,
/// tests/interop/node/eventlog_client.js): the steps it reports, and the arguments that point it at a host.
/// </summary>
public static class PeerScenario
{
    /// <summary>The steps, in order, each reported as <c>PASS step</c>.</summary>
    public static readonly string[] Steps = ["write", "list", "watch", "error_details", "unauthenticated", "permission_denied"];

    /// <summary>
    /// <c>--server --token --reader-token --project</c> for <paramref name="host"/>. Each run gets a project of its
    /// own (the admin may name any), so its watch sees only its own messages whatever else runs meanwhile.
    /// </summary>
    public static string[] Arguments(RealHostFixture host, string peer) =>
    [
        "--server", $"127.0.0.1:{host.Port}", "--token", host.Token, "--reader-token", InteropTokens.Reader,
        "--project", $"interop-{peer}-{Guid.NewGuid():N}",
    ];

    /// <summary>Fails with the peer's and the server's output unless the peer passed every step and finished.</summary>
    public static void AssertPassed(ChildProcess peer, RealHostFixture host)
    {
        var lines = peer.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var passed = lines.Where(l => l.StartsWith("PASS ", StringComparison.Ordinal)).Select(l => l[5..]).ToArray();
        Assert.True(
            peer.ExitCode == 0 && passed.SequenceEqual(Steps) && lines.LastOrDefault() == "PASS",
            $"`{peer.CommandLine}` exited {peer.ExitCode}, passed [{string.Join(", ", passed)}]:\n{peer.Output}\nserver:\n{host.Output}");
    }
}
