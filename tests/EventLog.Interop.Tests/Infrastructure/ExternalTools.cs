using System.Diagnostics;

namespace EventLog.Interop.Tests.Infrastructure;

/// <summary>
/// Finds the peers the interop tests drive (python grpcio, node with @grpc/grpc-js, buf). A missing
/// peer fails the test with the command that installs it: CI installs them, so a silent skip would
/// hide a broken set-up.
/// </summary>
public static class ExternalTools
{
    /// <summary>Debian's python, which has python3-grpcio; the pyenv python on PATH does not.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> PythonProblem = new(CheckPython);

    /// <summary>The repository root (the directory holding <c>tests/interop</c>).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>tests/interop/python.</summary>
    public static string PythonScripts => Path.Combine(RepoRoot, "tests", "interop", "python");

    /// <summary>tests/interop/node.</summary>
    public static string NodeScripts => Path.Combine(RepoRoot, "tests", "interop", "node");

    /// <summary>tests/node_modules, installed by <c>npm ci</c> in tests/.</summary>
    public static string NodeModules => Path.Combine(RepoRoot, "tests", "node_modules");

    /// <summary>Fails unless python3 with grpcio and grpcio-tools is installed.</summary>
    public static void RequirePython()
    {
        if (PythonProblem.Value is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
    }

    /// <summary>Fails unless node and the pinned npm packages are installed; returns the node executable.</summary>
    public static string RequireNode()
    {
        var node = FindOnPath("node") ?? throw new InvalidOperationException("node is not on PATH: install Node.js 20 (apt-get install nodejs npm).");
        foreach (var package in new[] { "@grpc/grpc-js", "@grpc/proto-loader" })
        {
            if (!File.Exists(Path.Combine(NodeModules, package, "package.json")))
            {
                throw new InvalidOperationException($"{package} is missing from {NodeModules}: run `npm ci` in {Path.Combine(RepoRoot, "tests")}.");
            }
        }
        return node;
    }

    /// <summary>Fails unless the pinned buf is installed; returns its path.</summary>
    public static string RequireBuf()
    {
        var buf = Path.Combine(NodeModules, ".bin", "buf");
        if (!File.Exists(buf))
        {
            throw new InvalidOperationException($"buf is missing ({buf}): run `npm ci` in {Path.Combine(RepoRoot, "tests")}.");
        }
        return buf;
    }

    private static string? CheckPython()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is missing: apt-get install python3 python3-grpcio python3-grpc-tools.";
        }
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import grpc, grpc_tools.protoc"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
                return $"{Python} -c 'import grpc' did not finish in 30 s.";
            }
            return process.ExitCode == 0
                ? null
                : $"{Python} lacks grpc ({stderr.Result.Trim()}): apt-get install python3-grpcio python3-grpc-tools.";
        }
        catch (Exception ex)
        {
            return $"Cannot run {Python}: {ex.Message}";
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "tests", "interop")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No tests/interop directory above {AppContext.BaseDirectory}.");
    }
}
