namespace EventLog.Interop.Tests.Infrastructure;

/// <summary>
/// The python stubs of the EventLog contract (protos/eventlog/v1 and protos/google/rpc), generated once
/// per test run with <c>python3 -m grpc_tools.protoc</c> (through tests/interop/python/eventlog_stubs.py)
/// into a temp dir that is deleted when the test process exits.
/// </summary>
public static class PythonStubs
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _directory;

    /// <summary>The directory holding the generated <c>eventlog/v1/*_pb2*.py</c> and <c>google/rpc/*_pb2.py</c> modules.</summary>
    public static async Task<string> GetAsync()
    {
        ExternalTools.SkipUnlessPython();
        if (!await Gate.WaitAsync(TimeSpan.FromSeconds(90)))
        {
            throw new TimeoutException("Another test has been generating the python stubs for 90 s.");
        }
        try
        {
            if (_directory is not null)
            {
                return _directory;
            }
            var directory = Directory.CreateTempSubdirectory("eventlog-interop-py-").FullName;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(directory);
            using var protoc = await ChildProcess.RunAsync(
                ExternalTools.Python, [Path.Combine(ExternalTools.PythonScripts, "eventlog_stubs.py"), directory], TimeSpan.FromSeconds(60));
            if (protoc.ExitCode != 0)
            {
                throw new InvalidOperationException($"Generating python stubs failed ({protoc.ExitCode}):\n{protoc.Output}");
            }
            return _directory = directory;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
