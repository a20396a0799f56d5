using System.Diagnostics;
using System.Text;

namespace EventLog.Server.Tests.Infrastructure;

/// <summary>
/// A running <c>/usr/bin/python3</c> script with its output captured. Disposing kills its process tree if it is
/// still running, so a failed assertion never leaves a python client behind.
/// </summary>
public sealed class PythonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly Task _errorsRead;

    private PythonProcess(Process process)
    {
        _process = process;
        _errorsRead = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_errors)
                {
                    _errors.AppendLine(line);
                }
            }
        });
    }

    /// <summary>What the script wrote to stderr so far.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>The exit code (only once exited).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>python3 arguments...</c> in <paramref name="workingDirectory"/>; fails the test clearly if python is unusable.</summary>
    public static PythonProcess Start(string workingDirectory, params string[] arguments)
    {
        PythonInterop.Require();
        var info = new ProcessStartInfo(PythonInterop.Python)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new PythonProcess(Process.Start(info) ?? throw new InvalidOperationException(PythonInterop.Python + " did not start."));
    }

    /// <summary>Runs a script to its end within <paramref name="timeout"/> (killed after it) and returns its exit code and all output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        await using var python = Start(workingDirectory, arguments);
        var output = python.ReadToEndAsync();
        await python.WaitForExitAsync(timeout);
        return (python.ExitCode, await output.WaitAsync(timeout) + python.Errors);
    }

    /// <summary>The next line of stdout (null at its end); fails the test after <paramref name="timeout"/>.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        try
        {
            return await _process.StandardOutput.ReadLineAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"python wrote no line within {timeout}. stderr:\n{Errors}");
            throw;
        }
    }

    /// <summary>The rest of stdout.</summary>
    public Task<string> ReadToEndAsync() => _process.StandardOutput.ReadToEndAsync();

    /// <summary>Waits for the script to exit; fails the test (and the process is killed on dispose) after <paramref name="timeout"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            await _errorsRead.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"python did not exit within {timeout}. stderr:\n{Errors}");
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Exited meanwhile, or the OS reaps it; nothing more to do.
        }
        finally
        {
            _process.Dispose();
        }
    }
}
