using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Grpc.Net.Client;

namespace EventLog.Tests.Shared;

/// <summary>
/// The built server, <c>dotnet EventLog.Server.dll</c>, as a child process with its own SQLite folder, configured
/// by arguments and environment variables the way an operator runs it. Its output is collected (stderr lines
/// prefixed <c>[stderr] </c>); it can be stopped with SIGTERM or SIGKILL and started again on the same data.
/// Nothing of the test run's own address settings reaches it, so each caller states how the address is chosen.
/// </summary>
public sealed partial class EventLogProcess : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] AddressVariables =
    [
        "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "DOTNET_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_HTTPS_PORTS",
        "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "Tls__CertificatePath",
    ];

    private readonly string[] _arguments;
    private readonly Dictionary<string, string?> _environment;
    private readonly string _serverAssembly;
    private readonly string _workingDirectory;
    private readonly Action<string>? _echo;
    private readonly StringBuilder _output = new();
    private readonly List<GrpcChannel> _channels = [];
    private Process? _process;
    private TaskCompletionSource<string> _listening = NewSignal<string>();
    private TaskCompletionSource _exited = NewSignal();
    private int _openStreams;

    private EventLogProcess(string[] arguments, Dictionary<string, string?> environment, string serverAssembly, string workingDirectory, string dataDirectory, bool ownsDataDirectory, Action<string>? echo)
    {
        _arguments = arguments;
        _environment = environment;
        _serverAssembly = serverAssembly;
        _workingDirectory = workingDirectory;
        _echo = echo;
        DataDirectory = dataDirectory;
        OwnsDataDirectory = ownsDataDirectory;
    }

    /// <summary>The server's SQLite folder.</summary>
    public string DataDirectory { get; }

    /// <summary>The addresses the server announced (<c>EventLog listening on ...</c>); set once it listens.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>The first announced address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address => Addresses.Count > 0 ? new Uri(Addresses[0]) : throw new InvalidOperationException("The server has not announced an address yet.");

    /// <summary>The running process (for its CPU time and memory).</summary>
    public Process Process => _process ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>The id of the running process.</summary>
    public int Id => _process?.Id ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>Whether the process has exited and its output has been read.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The exit code; valid once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process?.ExitCode ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>Everything the server printed (stdout and stderr, in arrival order, across restarts).</summary>
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

    private bool OwnsDataDirectory { get; }

    /// <summary>
    /// Starts the server without waiting for it: <paramref name="arguments"/> go to its command line,
    /// <paramref name="environment"/> sets (or, with a null value, removes) variables on top of the defaults (SQLite in a new
    /// folder, single-line console logs at Warning, the listening announcement at Information).
    /// <paramref name="dataDirectory"/> (kept on dispose) replaces the new folder; <paramref name="workingDirectory"/>
    /// (default: the assembly's folder, where a deployment reads appsettings.json) is the content root;
    /// <paramref name="echo"/> sees every output line.
    /// </summary>
    public static EventLogProcess Start(
        IEnumerable<string>? arguments = null,
        IEnumerable<KeyValuePair<string, string?>>? environment = null,
        string? serverAssembly = null,
        string? dataDirectory = null,
        string? workingDirectory = null,
        Action<string>? echo = null)
    {
        var ownsData = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("eventlog-process-").FullName;
        serverAssembly ??= ServerAssembly();
        var variables = AddressVariables.ToDictionary(v => v, _ => (string?)null);
        variables["Storage__Provider"] = "Sqlite";
        variables["Storage__DataDirectory"] = dataDirectory;
        variables["Logging__Console__FormatterName"] = "simple";
        variables["Logging__Console__FormatterOptions__SingleLine"] = "true";
        variables["Logging__LogLevel__Default"] = "Warning";
        variables["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        // The announcement is what tells that the server listens, and on which addresses.
        variables["Logging__LogLevel__EventLog.Server.StartupAnnouncer"] = "Information";
        variables["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? [])
        {
            variables[name] = value;
        }
        var server = new EventLogProcess(
            [.. arguments ?? []], variables, serverAssembly, workingDirectory ?? Path.GetDirectoryName(serverAssembly)!, dataDirectory, ownsData, echo);
        server.StartProcess();
        return server;
    }

    /// <summary>
    /// Starts the server on a free loopback port (<c>--urls</c>) in production auth mode with the <see cref="TestTokens"/>
    /// (none when <paramref name="withTestTokens"/> is false) and waits until it listens; a server that exits instead
    /// fails with its exit code and output. <paramref name="settings"/> are configuration keys (':' or '__') on top.
    /// </summary>
    public static async Task<EventLogProcess> StartAsync(
        IEnumerable<KeyValuePair<string, string?>>? settings = null,
        bool withTestTokens = true,
        string? serverAssembly = null,
        string? dataDirectory = null,
        string? workingDirectory = null,
        Action<string>? echo = null)
    {
        IEnumerable<KeyValuePair<string, string?>> auth = withTestTokens ? TestTokens.Environment() : [new("Auth__Mode", "Production")];
        var environment = auth.Concat((settings ?? []).Select(s => new KeyValuePair<string, string?>(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value)));
        var server = Start(["--urls", $"http://127.0.0.1:{FreePort.Next()}"], environment, serverAssembly, dataDirectory, workingDirectory, echo);
        try
        {
            await server.WaitUntilListeningAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>src/EventLog.Server/bin/&lt;configuration&gt;/&lt;framework&gt;/EventLog.Server.dll, the configuration and framework of the caller's build.</summary>
    public static string ServerAssembly()
    {
        var callerDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(callerDirectory);
        var configuration = Path.GetFileName(Path.GetDirectoryName(callerDirectory)!);
        var assembly = Path.Combine(Commands.RepositoryRoot(), "src", "EventLog.Server", "bin", configuration, framework, "EventLog.Server.dll");
        return File.Exists(assembly)
            ? assembly
            : throw new FileNotFoundException($"{assembly} is missing: build src/EventLog.Server ({configuration}) first.");
    }

    /// <summary>Waits for the listening announcement and returns the announced addresses; fails if the server exits first.</summary>
    public async Task<IReadOnlyList<string>> WaitUntilListeningAsync()
    {
        var first = await Task.WhenAny(_listening.Task, _exited.Task, Task.Delay(ListenTimeout));
        if (first == _listening.Task)
        {
            var match = ListeningLine().Match(await _listening.Task);
            return Addresses = match.Groups[1].Value.Split(", ");
        }
        if (first == _exited.Task)
        {
            throw new InvalidOperationException($"The server exited with {ExitCode}:\n{Output}");
        }
        throw new TimeoutException($"The server did not listen within {ListenTimeout.TotalSeconds:0} s:\n{Output}");
    }

    /// <summary>Waits until the process exited and its output was read; kills it and fails after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(_exited.Task, Task.Delay(timeout)) != _exited.Task)
        {
            KillNow();
            throw new TimeoutException($"The server did not exit within {timeout.TotalSeconds:0} s and was killed:\n{Output}");
        }
        return ExitCode;
    }

    /// <summary>Sends SIGTERM, what systemd, Kubernetes and Ctrl+C (SIGINT alike) do to stop the server; does not wait for the exit.</summary>
    public async Task TerminateAsync()
    {
        var pid = Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (exitCode, output) = await Commands.RunAsync("kill", _workingDirectory, ExitTimeout, "-TERM", pid);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {pid} failed ({exitCode}): {output}");
        }
    }

    /// <summary>Kills the process with SIGKILL (no shutdown code runs, as in a power cut) and waits for its end.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }
        KillNow();
        await WaitForExitAsync(ExitTimeout);
    }

    /// <summary>Starts the process again with the same arguments, environment and data, and waits until it listens.</summary>
    public async Task RestartAsync()
    {
        if (_process is not null && !HasExited)
        {
            throw new InvalidOperationException("The server is still running; kill or terminate it first.");
        }
        _process?.Dispose();
        StartProcess();
        await WaitUntilListeningAsync();
    }

    /// <summary>A channel to <see cref="Address"/> whose calls carry <c>authorization: Bearer {token}</c> (none when null), disposed with the process.</summary>
    public GrpcChannel CreateChannel(string? token)
    {
        var channel = TestChannels.Create(Address, token);
        lock (_channels)
        {
            _channels.Add(channel);
        }
        return channel;
    }

    /// <summary>The output lines printed after the first <paramref name="since"/> characters of <see cref="Output"/>.</summary>
    public IReadOnlyList<string> LinesSince(int since)
    {
        var output = Output;
        return output[Math.Min(since, output.Length)..].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// Error and critical log lines (the console formatter's <c>fail:</c> and <c>crit:</c>) printed after
    /// <paramref name="since"/>: what a server writes when it failed, never for what a client got wrong.
    /// </summary>
    public IReadOnlyList<string> ErrorLinesSince(int since) => [.. LinesSince(since).Where(l => ErrorLine().IsMatch(l))];

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_channels)
        {
            foreach (var channel in _channels)
            {
                channel.Dispose();
            }
            _channels.Clear();
        }
        if (_process is not null)
        {
            KillNow();
            _process.Dispose();
            _process = null;
        }
        if (OwnsDataDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left for the OS to clean with the temp folder.
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource<T> NewSignal<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void StartProcess()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(_serverAssembly);
        foreach (var argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Commands.SetEnvironment(start, _environment);
        _listening = NewSignal<string>();
        _exited = NewSignal();
        _openStreams = 2;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => OnLine(process, e.Data, "");
        process.ErrorDataReceived += (_, e) => OnLine(process, e.Data, "[stderr] ");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private void OnLine(Process process, string? line, string prefix)
    {
        if (line is null)
        {
            // Both streams closed: the process is done and all its output is in.
            if (Interlocked.Decrement(ref _openStreams) == 0)
            {
                var exited = _exited;
                _ = process.WaitForExitAsync().ContinueWith(_ => exited.TrySetResult(), TaskScheduler.Default);
            }
            return;
        }
        lock (_output)
        {
            _output.Append(prefix).AppendLine(line);
        }
        _echo?.Invoke(prefix + line);
        if (ListeningLine().IsMatch(line))
        {
            _listening.TrySetResult(line);
        }
    }

    private void KillNow()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5_000);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Exited meanwhile.
        }
    }

    [GeneratedRegex(@"EventLog listening on (.+)\.$")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"^(\[stderr\] )?(fail|crit): ")]
    private static partial Regex ErrorLine();
}
