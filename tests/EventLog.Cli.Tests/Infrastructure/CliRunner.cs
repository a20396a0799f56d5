using System.Diagnostics;
using System.Text;

namespace EventLog.Cli.Tests.Infrastructure;

/// <summary>The output and exit code of one <c>eventlog</c> run.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs the built CLI as a real process: <c>dotnet eventlog.dll ...</c>.</summary>
public static class CliRunner
{
    /// <summary>The variable the CLI reads the server address from.</summary>
    public const string AddressVariable = "EVENTLOG_ADDRESS";

    /// <summary>The variable the CLI reads the token from.</summary>
    public const string TokenVariable = "EVENTLOG_TOKEN";

    /// <summary>The repository root (where EventLogGrpc.sln is).</summary>
    public static string RepositoryRoot { get; } = Commands.RepositoryRoot();

    /// <summary>The CLI built in the same configuration as these tests.</summary>
    public static string DllPath { get; } = FindDll();

    /// <summary>Runs to completion (within the default timeout) with the address and token in the environment.</summary>
    public static async Task<CliResult> RunAsync(Uri address, string? token, params string[] args)
    {
        var process = Start(address, token, args);
        return await process.WaitAsync();
    }

    /// <summary>Starts a run that goes on (a follow, a watch) for the test to wait for later.</summary>
    public static CliProcess Start(Uri address, string? token, params string[] args) =>
        Start(new Dictionary<string, string?> { [AddressVariable] = address.ToString(), [TokenVariable] = token }, args);

    /// <summary>Runs to completion with exactly these EventLog variables (null: unset, even if this process has it).</summary>
    public static Task<CliResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Start(environment, args).WaitAsync();

    /// <summary>Runs to completion with <paramref name="input"/> on standard input (then closed), no server variables.</summary>
    public static Task<CliResult> RunWithInputAsync(string input, params string[] args) =>
        Start(new Dictionary<string, string?>(), args, input).WaitAsync();

    private static CliProcess Start(IReadOnlyDictionary<string, string?> environment, string[] args, string input = "")
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove(AddressVariable);
        start.Environment.Remove(TokenVariable);
        Commands.SetEnvironment(start, environment);
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start)!;
        // Standard input is closed at once (after the given input), so a command that reads it never waits.
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        return new CliProcess(process);
    }

    private static string FindDll()
    {
        // tests/EventLog.Cli.Tests/bin/<Configuration>/<tfm>/
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var path = Path.Combine(RepositoryRoot, "clients", "EventLog.Cli", "bin", configuration, tfm.Name, "eventlog.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build clients/EventLog.Cli first.", path);
    }
}

/// <summary>A running CLI process whose output is collected as it comes.</summary>
public sealed class CliProcess
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Task _pump;

    internal CliProcess(Process process)
    {
        _process = process;
        _pump = Task.WhenAll(PumpAsync(process.StandardOutput, _output), PumpAsync(process.StandardError, _error));
    }

    /// <summary>What was printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the exit, killing the process after the timeout.</summary>
    public async Task<CliResult> WaitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestTimeouts.Default);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WithTimeout();
            await _pump.WithTimeout();
            throw new TimeoutException($"eventlog did not exit in time.\n{new CliResult(-1, Output, Error)}");
        }
        await _pump.WithTimeout();
        var result = new CliResult(_process.ExitCode, Output, Error);
        _process.Dispose();
        return result;
    }

    /// <summary>
    /// Waits until the output contains <paramref name="text"/>; fails when the process exits without printing it
    /// (or the timeout passes), so a check cannot pass on a process that is already gone.
    /// </summary>
    public async Task WaitForOutputAsync(string text)
    {
        try
        {
            await TestTimeouts.EventuallyAsync(() => Task.FromResult(Printed(text) || _process.HasExited), $"'{text}' in the output");
        }
        catch (TimeoutException ex)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{ex.Message}\n--- stdout so far\n{Output}\n--- stderr so far\n{Error}", ex);
        }
        if (Printed(text))
        {
            return;
        }
        // The process exited; what it printed last may still be in the pipes.
        await _pump.WithTimeout();
        if (!Printed(text))
        {
            throw new Xunit.Sdk.XunitException($"eventlog exited with {_process.ExitCode} without printing '{text}'.\n{new CliResult(_process.ExitCode, Output, Error)}");
        }
    }

    private bool Printed(string text) => Output.Contains(text, StringComparison.Ordinal);

    private string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }
}
