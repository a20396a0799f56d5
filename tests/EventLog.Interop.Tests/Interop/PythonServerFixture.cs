using EventLog.Interop.Tests.Infrastructure;
using EventLog.Rpc.Client;
using Xunit;

namespace EventLog.Interop.Tests.Interop;

/// <summary>python grpcio's server of the interop TestService (tests/interop/python/interop_server.py) on a free loopback port.</summary>
public class PythonServerFixture : IAsyncLifetime
{
    private ChildProcess? _process;

    /// <summary>The server's <c>--compression</c>: gzip compresses responses to clients that accept it.</summary>
    protected virtual string Compression => "none";

    /// <summary>The port the python server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>What the python server printed, for failure messages.</summary>
    public string Output => _process?.Output ?? "";

    /// <summary>Creates a channel of our client to the python server.</summary>
    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null) => GrpcChannel.ForAddress($"http://127.0.0.1:{Port}", options);

    /// <inheritdoc/>
    public virtual async Task InitializeAsync()
    {
        var stubs = await PythonStubs.GetAsync().WithTimeout(TimeSpan.FromSeconds(90));
        _process = ChildProcess.Start(
            ExternalTools.Python,
            [Path.Combine(ExternalTools.PythonScripts, "interop_server.py"), "--host", "127.0.0.1", "--port", "0", "--stubs", stubs, "--compression", Compression, "--watch-stdin"],
            lineWatch: line => line.StartsWith("PORT ", StringComparison.Ordinal));
        var line = await _process.WaitForLineAsync(TimeSpan.FromSeconds(30));
        Port = int.Parse(line.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public virtual Task DisposeAsync()
    {
        _process?.Dispose();
        return Task.CompletedTask;
    }
}
