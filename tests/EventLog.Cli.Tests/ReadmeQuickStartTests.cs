using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace EventLog.Cli.Tests;

/// <summary>
/// Runs the quick start of clients/README.md as a new user would: pack and install the CLI as a .NET tool,
/// start the server, point the CLI at it and tail a task. Only the port is changed (to a free one), and the
/// run gets its own HOME (where the tool is installed) and data directory, and its own copy of the sources,
/// as a fresh checkout would be: building in this tree would rewrite the CLI and server that other tests are
/// running at the same time (seen as "Invalid runtimeconfig.json" from a CLI test started mid-build).
/// </summary>
public sealed partial class ReadmeQuickStartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task QuickStart_InstallsTheCli_StartsTheServer_AndTailsATask()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(CliRunner.RepositoryRoot, "clients", "README.md"));
        var quickStart = QuickStartBlock().Match(readme);
        Assert.True(quickStart.Success, "clients/README.md has no ```sh block under '## Quick start'.");
        var port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var commands = quickStart.Groups["script"].Value.Replace("50051", port, StringComparison.Ordinal);

        var work = Directory.CreateTempSubdirectory("eventlog-readme-");
        try
        {
            var checkout = Path.Combine(work.FullName, "checkout");
            CopySources(CliRunner.RepositoryRoot, checkout);
            var script = Path.Combine(work.FullName, "quickstart.sh");
            await File.WriteAllTextAsync(script, "set -euo pipefail\n" + commands);
            var result = await RunScriptAsync(script, checkout, work.FullName);

            Assert.True(result.ExitCode == 0, result.ToString());
            var output = result.Output;
            var first = output.IndexOf("step 1", StringComparison.Ordinal);
            var third = output.IndexOf("step 5", StringComparison.Ordinal);
            Assert.True(first >= 0 && third > first && output.Contains("step 2", StringComparison.Ordinal), result.ToString());
            Assert.True(output.Contains("SUCCEEDED", StringComparison.Ordinal), result.ToString());
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task RootReadme_PointsAtTheQuickStart_AndKeepsItsTwoSetUpCommands()
    {
        var root = await File.ReadAllTextAsync(Path.Combine(CliRunner.RepositoryRoot, "README.md"));
        var clients = await File.ReadAllTextAsync(Path.Combine(CliRunner.RepositoryRoot, "clients", "README.md"));

        Assert.Contains("](clients/README.md#quick-start)", root, StringComparison.Ordinal);
        // GitHub derives the anchor #quick-start from exactly this heading.
        Assert.Matches(new Regex("^## Quick start$", RegexOptions.Multiline), clients);
        var section = root[root.IndexOf("## Set up on a fresh machine", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        var setUp = SetUpBlocks().Matches(section).Select(m => m.Groups["command"].Value).ToList();
        Assert.Equal(["dotnet run --project src/EventLog.Server", "bash tests/run.sh"], setUp);
    }

    /// <summary>Copies the repository as a checkout has it: without build outputs, packages and node modules.</summary>
    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(directory);
            if (name is not ("bin" or "obj" or "artifacts" or "node_modules" or ".git" or "TestResults"))
            {
                CopySources(directory, Path.Combine(to, name));
            }
        }
    }

    private static async Task<CliResult> RunScriptAsync(string script, string workingDirectory, string home)
    {
        // setsid: the script, the server it starts in the background and the task runner share one process
        // group, which is ended as a whole afterwards.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add(script);
        var realHome = Environment.GetEnvironmentVariable("HOME") ?? "";
        start.Environment["NUGET_PACKAGES"] = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(realHome, ".nuget", "packages");
        start.Environment["HOME"] = home;
        start.Environment["DOTNET_CLI_HOME"] = home;
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["Storage__DataDirectory"] = Path.Combine(home, "data");
        start.Environment.Remove("EVENTLOG_ADDRESS");
        start.Environment.Remove("EVENTLOG_TOKEN");
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var error = new StringBuilder();
        var pump = Task.WhenAll(
            Task.Run(async () => output.Append(await process.StandardOutput.ReadToEndAsync())),
            Task.Run(async () => error.Append(await process.StandardError.ReadToEndAsync())));
        var timedOut = false;
        using (var cts = new CancellationTokenSource(Timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
            }
        }
        KillGroup(process.Id);
        await pump.WaitAsync(TimeSpan.FromSeconds(30));
        var serverLog = Path.Combine(CliRunner.RepositoryRoot, "eventlog-server.log");
        if (File.Exists(serverLog))
        {
            error.Append("\n--- eventlog-server.log\n").Append(await File.ReadAllTextAsync(serverLog));
            File.Delete(serverLog);
        }
        return new CliResult(timedOut ? -1 : process.ExitCode, output.ToString(), error.ToString());
    }

    private static void KillGroup(int processGroup)
    {
        foreach (var signal in new[] { "TERM", "KILL" })
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, "--", "-" + processGroup }, RedirectStandardError = true, UseShellExecute = false })!;
            kill.WaitForExit(10_000);
            Thread.Sleep(signal == "TERM" ? 2000 : 0);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"## Quick start[^\n]*\n.*?```sh\n(?<script>.*?)```", RegexOptions.Singleline)]
    private static partial Regex QuickStartBlock();

    /// <summary>An sh block's whole text (the set-up section has one command per block).</summary>
    [GeneratedRegex(@"```sh\n(?<command>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex SetUpBlocks();
}
