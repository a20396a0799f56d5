using System.Diagnostics;

namespace EventLog.Tests.Shared;

/// <summary>Runs a command to its end, as tests that build or run programs need.</summary>
public static class Commands
{
    /// <summary>Runs <paramref name="file"/> in <paramref name="directory"/>; returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, string directory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout + "\n" + await stderr);
    }

    /// <summary>
    /// Sets <paramref name="variables"/> in the environment of <paramref name="start"/>; a null value removes the variable,
    /// so that a setting of the test run cannot leak into the child.
    /// </summary>
    public static void SetEnvironment(ProcessStartInfo start, IEnumerable<KeyValuePair<string, string?>> variables)
    {
        foreach (var (name, value) in variables)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
    }

    /// <summary>The repository's root folder (the one holding EventLogGrpc.sln), found from the test's output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EventLogGrpc.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root was not found.");
    }
}
