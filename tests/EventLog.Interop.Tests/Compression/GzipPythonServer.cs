using EventLog.Interop.Tests.Interop;

namespace EventLog.Interop.Tests.Compression;

/// <summary>python grpcio's interop server compressing its responses with gzip.</summary>
public sealed class GzipPythonServer : PythonServerFixture
{
    /// <inheritdoc/>
    protected override string Compression => "gzip";
}
