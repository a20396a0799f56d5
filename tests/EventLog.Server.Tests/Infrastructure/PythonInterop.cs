using System.Diagnostics;

namespace EventLog.Server.Tests.Infrastructure;

/// <summary>
/// Debian's python with python3-grpcio and python3-grpc-tools (installed with apt-get), and stubs generated from our
/// protos. A missing python fails the test with the command that installs it, as in EventLog.Interop.Tests: CI
/// installs the peers, so a silent skip would hide a broken set-up and drop an acceptance test unnoticed.
/// </summary>
public static class PythonInterop
{
    /// <summary>The python that has grpcio; the pyenv python on PATH does not.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Problem = new(Check);

    /// <summary>The repository root (holding <c>buf.yaml</c> and <c>protos/</c>).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Fails the test unless python3 can import grpc and grpc_tools.</summary>
    public static void Require()
    {
        if (Problem.Value is { } problem)
        {
            Assert.Fail(problem);
        }
    }

    /// <summary>The HTTP annotations every eventlog/v1 service imports; their modules must be generated too.</summary>
    private static readonly string[] AnnotationProtos = ["google/api/http.proto", "google/api/annotations.proto"];

    /// <summary>
    /// Generates python stubs of <paramref name="protos"/> (paths under protos/), and of the google.api annotations
    /// they import, into a new temp directory.
    /// </summary>
    public static async Task<TempDirectory> GenerateStubsAsync(params string[] protos)
    {
        var stubs = new TempDirectory("eventlog-py-stubs-");
        string[] arguments = ["-m", "grpc_tools.protoc", "-I", "protos", "--python_out=" + stubs.Path, "--grpc_python_out=" + stubs.Path, .. protos, .. AnnotationProtos];
        var (exitCode, output) = await PythonProcess.RunAsync(RepositoryRoot, TimeSpan.FromSeconds(60), arguments);
        if (exitCode != 0)
        {
            stubs.Dispose();
            Assert.Fail("grpc_tools.protoc failed:\n" + output);
        }

        return stubs;
    }

    private static string? Check()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is missing: apt-get install python3 python3-grpcio python3-grpc-tools.";
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import grpc, grpc_tools.protoc"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            })!;
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(30_000))
            {
                process.Kill(entireProcessTree: true);
                return $"{Python} -c 'import grpc' did not finish in 30 s.";
            }

            return process.ExitCode == 0 ? null : $"{Python} lacks grpc ({errors.Result.Trim()}): apt-get install python3-grpcio python3-grpc-tools.";
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"Cannot run {Python}: {ex.Message}";
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "buf.yaml")) && Directory.Exists(Path.Combine(directory.FullName, "protos", "eventlog")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (buf.yaml, protos/) was not found above " + AppContext.BaseDirectory);
    }
}
