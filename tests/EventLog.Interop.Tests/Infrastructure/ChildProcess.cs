using System.Diagnostics;
using System.Text;

namespace EventLog.Interop.Tests.Infrastructure;

/// <summary>
/// A peer process (python, node, buf) whose output is captured and which is always killed, with its
/// children, when disposed, so a failing or hanging test never leaves it behind.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private static readonly string[] ProxyVariables = ["http_proxy", "https_proxy", "grpc_proxy", "HTTP_PROXY", "HTTPS_PROXY", "GRPC_PROXY", "all_proxy", "ALL_PROXY"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<string, bool>? _lineWatch;
    private readonly TaskCompletionSource<string> _watchedLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openStreams = 2;

    private ChildProcess(string fileName, IEnumerable<string> arguments, string workingDirectory, Func<string, bool>? lineWatch, IReadOnlyDictionary<string, string?>? environment)
    {
        _lineWatch = lineWatch;
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // Peers talk to 127.0.0.1 only; a proxy from the environment must not get in the way.
        foreach (var variable in ProxyVariables)
        {
            startInfo.Environment.Remove(variable);
        }
        startInfo.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        startInfo.Environment["PYTHONUNBUFFERED"] = "1";
        Commands.SetEnvironment(startInfo, environment ?? new Dictionary<string, string?>());
        _process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, "");
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, "[stderr] ");
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        CommandLine = fileName + " " + string.Join(' ', arguments);
    }

    /// <summary>What was started, for failure messages.</summary>
    public string CommandLine { get; }

    /// <summary>Everything the process printed so far (stderr lines prefixed).</summary>
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

    /// <summary>What the process printed on stdout only.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_output)
            {
                return _standardOutput.ToString();
            }
        }
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The exit code; only valid after <see cref="WaitForExitAsync"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts a process; <paramref name="lineWatch"/> picks a line <see cref="WaitForLineAsync"/> returns, and
    /// <paramref name="environment"/> sets (or, with a null value, removes) variables.
    /// </summary>
    public static ChildProcess Start(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null, Func<string, bool>? lineWatch = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        new(fileName, arguments, workingDirectory ?? ExternalTools.RepoRoot, lineWatch, environment);

    /// <summary>Runs a process to completion and returns it; kills it and fails if it outlives the timeout.</summary>
    public static async Task<ChildProcess> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var process = Start(fileName, arguments);
        try
        {
            await process.WaitForExitAsync(timeout);
            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the first line matching the watch; fails if the process exits or the timeout passes first.</summary>
    public async Task<string> WaitForLineAsync(TimeSpan timeout)
    {
        var first = await Task.WhenAny(_watchedLine.Task, _exited.Task, Task.Delay(timeout));
        if (first == _watchedLine.Task)
        {
            return await _watchedLine.Task;
        }
        var why = first == _exited.Task ? $"exited with code {_process.ExitCode}" : $"printed no expected line within {timeout.TotalSeconds:0} s";
        throw new InvalidOperationException($"`{CommandLine}` {why}. Output:\n{Output}");
    }

    /// <summary>Waits for the process to exit and its output to be read; kills it and fails after the timeout.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(_exited.Task, Task.Delay(timeout)) != _exited.Task)
        {
            Kill();
            throw new TimeoutException($"`{CommandLine}` did not finish within {timeout.TotalSeconds:0} s and was killed. Output:\n{Output}");
        }
    }

    /// <summary>Closes the process's stdin (peers that watch it take that as the signal to stop).</summary>
    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        CloseInput();
        Kill();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
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

    private void OnLine(string? line, string prefix)
    {
        if (line is null)
        {
            // Both streams closed: the process is done and all its output is in.
            if (Interlocked.Decrement(ref _openStreams) == 0)
            {
                _ = _process.WaitForExitAsync().ContinueWith(_ => _exited.TrySetResult(), TaskScheduler.Default);
            }
            return;
        }
        lock (_output)
        {
            _output.Append(prefix).AppendLine(line);
            if (prefix.Length == 0)
            {
                _standardOutput.AppendLine(line);
            }
        }
        if (prefix.Length == 0 && _lineWatch is not null && _lineWatch(line))
        {
            _watchedLine.TrySetResult(line);
        }
    }
}
