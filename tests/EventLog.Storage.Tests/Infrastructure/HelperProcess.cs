using System.Diagnostics;

namespace EventLog.Storage.Tests.Infrastructure;

/// <summary>Starts EventLog.Storage.CrashHelper (a real second process over the same database) and reads its lines.</summary>
public static class HelperProcess
{
    /// <summary>Starts the helper with <paramref name="arguments"/>, its standard streams redirected.</summary>
    public static Process Start(params string[] arguments)
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "EventLog.Storage.CrashHelper.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(helper);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    /// <summary>The child's next line; fails with its standard error when it exits first.</summary>
    public static async Task<string> ReadLineAsync(Process child, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await child.StandardOutput.ReadLineAsync(cts.Token)
            ?? throw new InvalidOperationException("Child exited early: " + await child.StandardError.ReadToEndAsync().WaitAsync(timeout));
    }

    /// <summary>Writes a line to each child at once (the signal to start together).</summary>
    public static async Task GoAsync(IEnumerable<Process> children, TimeSpan timeout)
    {
        foreach (var child in children)
        {
            await child.StandardInput.WriteLineAsync("go").WaitAsync(timeout);
            await child.StandardInput.FlushAsync().WaitAsync(timeout);
        }
    }

    /// <summary>Kills the children still running, waits for all of them and disposes them.</summary>
    public static async Task StopAllAsync(IEnumerable<Process> children, TimeSpan timeout)
    {
        foreach (var child in children)
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }

            await child.WaitForExitAsync().WaitAsync(timeout);
            child.Dispose();
        }
    }
}
