using System.Buffers.Binary;
using System.IO.Compression;
using EventLog.Interop.Tests.Infrastructure;
using EventLog.Interop.Tests.Interop;
using EventLog.Interop.Tests.Malformed;
using EventLog.Rpc.Client;
using Google.Protobuf;
using Grpc.Testing;
using Xunit;

namespace EventLog.Interop.Tests.Compression;

/// <summary>
/// gzip message compression both ways with real peers: python's client compresses its requests and
/// inflates our gzip responses; our client compresses its requests and inflates python's responses.
/// </summary>
public sealed class GzipInteropTests(GzipServer server, GzipPythonServer pythonServer) : IClassFixture<GzipServer>, IClassFixture<GzipPythonServer>
{
    private const string UnaryCall = "/grpc.testing.TestService/UnaryCall";

    public static TheoryData<string> Cases => new() { "large_unary", "client_streaming", "server_streaming", "ping_pong", "custom_metadata" };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task PythonClient_GzipBothWays_OurServer_Passes(string testCase)
    {
        var errorsBefore = server.Logs.Errors.Count;

        await PythonInteropClient.RunAsync(server.Port, testCase, compression: "gzip");

        server.AssertNoNewErrors(errorsBefore);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task OurClient_GzipBothWays_PythonServer_Passes(string testCase)
    {
        using var channel = pythonServer.CreateChannel(new GrpcChannelOptions { CompressRequests = true });

        await new InteropClient(channel).RunAsync(testCase);
    }

    [Fact]
    public async Task OurServer_CompressesOnlyForClientsThatAcceptGzip()
    {
        using var raw = new RawGrpcClient(server.Address);
        var body = RawGrpcClient.Frame(new SimpleRequest { ResponseSize = 1000 }.ToByteArray());

        var accepting = await raw.PostAsync(UnaryCall, body, headers: ("grpc-accept-encoding", "identity,gzip")).WithTimeout();
        var plain = await raw.PostAsync(UnaryCall, body).WithTimeout();

        Assert.True(accepting.GrpcStatus == 0 && accepting.Headers.GetValueOrDefault("grpc-encoding") == "gzip", accepting.ToString());
        Assert.Equal(1, accepting.Body[0]);
        Assert.Equal(accepting.Body.Length - 5, BinaryPrimitives.ReadInt32BigEndian(accepting.Body.AsSpan(1)));
        using (var gzip = new GZipStream(new MemoryStream(accepting.Body, 5, accepting.Body.Length - 5), CompressionMode.Decompress))
        {
            Assert.Equal(1000, SimpleResponse.Parser.ParseFrom(gzip).Payload.Body.Length);
        }

        Assert.True(plain.GrpcStatus == 0 && plain.Headers.GetValueOrDefault("grpc-encoding") is null or "identity", plain.ToString());
        Assert.Equal(0, plain.Body[0]);
        Assert.Equal(1000, SimpleResponse.Parser.ParseFrom(plain.Body.AsSpan(5)).Payload.Body.Length);
    }

    [Fact]
    public async Task OurServer_InflatesGzipRequest()
    {
        using var raw = new RawGrpcClient(server.Address);
        var message = new SimpleRequest { ResponseSize = 3, Payload = new Payload { Body = ByteString.CopyFrom(new byte[5000]) } }.ToByteArray();
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(message);
        }

        var response = await raw.PostAsync(UnaryCall, RawGrpcClient.Frame(compressed.ToArray(), compressed: true), headers: ("grpc-encoding", "gzip")).WithTimeout();

        Assert.True(response.GrpcStatus == 0, response.ToString());
        Assert.Equal(3, SimpleResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Payload.Body.Length);
    }
}
