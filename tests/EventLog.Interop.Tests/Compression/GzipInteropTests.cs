using System.IO.Compression;
using EventLog.Interop.Tests.Interop;
using EventLog.Interop.Tests.Malformed;
using EventLog.V1;
using Google.Protobuf;

namespace EventLog.Interop.Tests.Compression;

/// <summary>
/// gzip message compression both ways with the real host configured with <c>Grpc:ResponseCompression=gzip</c>:
/// python grpcio compresses its requests and inflates the host's responses; on the wire, the host compresses
/// only for a client that accepts gzip and inflates a gzip request.
/// </summary>
public sealed class GzipInteropTests(GzipHostFixture host) : IClassFixture<GzipHostFixture>, IDisposable
{
    private const string CreateMessage = "/eventlog.v1.MessagesService/CreateMessage";
    private const string ListMessages = "/eventlog.v1.MessagesService/ListMessages";

    private readonly RawGrpcClient _raw = new(host.Address, host.Token);

    [SkippableFact]
    public async Task PythonGrpcio_GzipBothWays_WriteListWatchAndErrorDetails()
    {
        var mark = host.OutputMark;

        using var client = await PythonEventLogClient.RunAsync(host, compression: "gzip");

        PeerScenario.AssertPassed(client, host);
        await host.AssertNoErrorLogsAsync(mark);
    }

    [Fact]
    public async Task Host_CompressesOnlyForClientsThatAcceptGzip()
    {
        var project = "interop-gzip-" + Guid.NewGuid().ToString("N");
        var created = await _raw.PostAsync(CreateMessage, RawGrpcClient.Frame(NewMessage(project).ToByteArray())).WithTimeout();
        Assert.True(created.GrpcStatus == 0, created.ToString());
        var body = RawGrpcClient.Frame(new ListMessagesRequest { Project = project }.ToByteArray());

        var accepting = await _raw.PostAsync(ListMessages, body, headers: ("grpc-accept-encoding", "identity,gzip")).WithTimeout();
        var plain = await _raw.PostAsync(ListMessages, body).WithTimeout();

        Assert.True(accepting.GrpcStatus == 0 && accepting.Headers.GetValueOrDefault("grpc-encoding") == "gzip", accepting.ToString());
        Assert.Equal(1, accepting.Body[0]);
        using (var gzip = new GZipStream(new MemoryStream(accepting.FirstMessage.ToArray()), CompressionMode.Decompress))
        {
            Assert.Equal("003", Assert.Single(ListMessagesResponse.Parser.ParseFrom(gzip).Messages).DetailCode);
        }

        Assert.True(plain.GrpcStatus == 0 && plain.Headers.GetValueOrDefault("grpc-encoding") is null or "identity", plain.ToString());
        Assert.Equal(0, plain.Body[0]);
        Assert.Equal("003", Assert.Single(ListMessagesResponse.Parser.ParseFrom(plain.FirstMessage).Messages).DetailCode);
    }

    [Fact]
    public async Task Host_InflatesAGzipRequest()
    {
        var mark = host.OutputMark;
        var project = "interop-gzip-" + Guid.NewGuid().ToString("N");
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(NewMessage(project).ToByteArray());
        }

        var response = await _raw.PostAsync(CreateMessage, RawGrpcClient.Frame(compressed.ToArray(), compressed: true), headers: ("grpc-encoding", "gzip")).WithTimeout();

        Assert.True(response.GrpcStatus == 0, response.ToString());
        Assert.Equal(project, CreateMessageResponse.Parser.ParseFrom(response.FirstMessage).Message.Project);
        await host.AssertNoErrorLogsAsync(mark);
    }

    public void Dispose() => _raw.Dispose();

    private static CreateMessageRequest NewMessage(string project) => new()
    {
        Project = project, RequestId = "req-gzip", ActionCode = "001", DetailCode = "003", Level = MessageLevel.Error, ResourceType = "volume",
    };
}
