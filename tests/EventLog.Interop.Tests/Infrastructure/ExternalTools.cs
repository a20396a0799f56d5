using System.Diagnostics;

namespace EventLog.Interop.Tests.Infrastructure;

/// <summary>
/// Finds the peers the interop tests drive (python grpcio, node with @grpc/grpc-js, buf). A peer that is
/// not installed at all skips the test with the command that installs it; one that is installed but
/// broken, or whose pinned packages were not restored, fails it: CI installs them, so only a machine
/// without the tool may pass over it.
/// </summary>
public static class ExternalTools
{
    /// <summary>Debian's python, which has python3-grpcio; the pyenv python on PATH does not.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<PythonState> PythonCheck = new(CheckPython);

    /// <summary>The repository root (the directory holding <c>tests/interop</c>).</summary>
    public static string RepoRoot { get; } = Commands.RepositoryRoot();

    /// <summary>protos/, the contract every peer builds its stubs from.</summary>
    public static string ProtoRoot => Path.Combine(RepoRoot, "protos");

    /// <summary>tests/interop/python.</summary>
    public static string PythonScripts => Path.Combine(RepoRoot, "tests", "interop", "python");

    /// <summary>tests/interop/node.</summary>
    public static string NodeScripts => Path.Combine(RepoRoot, "tests", "interop", "node");

    /// <summary>tests/node_modules, installed by <c>npm ci</c> in tests/.</summary>
    public static string NodeModules => Path.Combine(RepoRoot, "tests", "node_modules");

    /// <summary>Skips the test when python3 with grpcio and grpcio-tools is absent; fails when it is there but broken.</summary>
    public static void SkipUnlessPython()
    {
        var state = PythonCheck.Value;
        Skip.If(state.Absent is not null, state.Absent);
        if (state.Broken is { } broken)
        {
            throw new InvalidOperationException(broken);
        }
    }

    /// <summary>Skips the test when node is absent; fails when the pinned npm packages were not installed. Returns node.</summary>
    public static string SkipUnlessNode()
    {
        var node = FindOnPath("node");
        Skip.If(node is null, "node is not on PATH: install Node.js 20 (apt-get install nodejs npm), then `npm ci` in tests/.");
        foreach (var package in new[] { "@grpc/grpc-js", "@grpc/proto-loader", "protobufjs" })
        {
            if (!File.Exists(Path.Combine(NodeModules, package, "package.json")))
            {
                throw new InvalidOperationException($"{package} is missing from {NodeModules}: run `npm ci` in {Path.Combine(RepoRoot, "tests")}.");
            }
        }
        return node!;
    }

    /// <summary>Skips the test when buf cannot have been installed (no node); fails when npm could have but did not. Returns buf.</summary>
    public static string SkipUnlessBuf()
    {
        var buf = Path.Combine(NodeModules, ".bin", "buf");
        if (File.Exists(buf))
        {
            return buf;
        }
        Skip.If(FindOnPath("node") is null, $"buf is missing ({buf}) and so is node, which installs it: install Node.js 20, then `npm ci` in tests/.");
        throw new InvalidOperationException($"buf is missing ({buf}): run `npm ci` in {Path.Combine(RepoRoot, "tests")}.");
    }

    private static PythonState CheckPython()
    {
        const string install = "apt-get install python3 python3-grpcio python3-grpc-tools";
        if (!File.Exists(Python))
        {
            return new PythonState($"{Python} is missing: {install}.", null);
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
                return new PythonState(null, $"{Python} -c 'import grpc' did not finish in 30 s.");
            }
            var error = stderr.Result.Trim();
            return process.ExitCode == 0 ? new PythonState(null, null)
                // Only a module that is not installed at all is an absent tool; any other import failure is a broken one.
                : error.Contains("ModuleNotFoundError", StringComparison.Ordinal) ? new PythonState($"{Python} lacks grpc ({error.Split('\n')[^1]}): {install}.", null)
                : new PythonState(null, $"{Python} cannot import grpc:\n{error}");
        }
        catch (Exception ex)
        {
            return new PythonState(null, $"Cannot run {Python}: {ex.Message}");
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private sealed record PythonState(string? Absent, string? Broken);
}
