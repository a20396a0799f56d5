using EventLog.Interop.Tests.Infrastructure;
using EventLog.Rpc.Client;
using Grpc.Core;
using Grpc.Testing;
using Xunit;

namespace EventLog.Interop.Tests.Malformed;

/// <summary>
/// Our client against a server (or proxy) that misbehaves: every broken response ends the call with
/// the status the gRPC spec prescribes (HTTP errors per doc/http-grpc-status-mapping.md), never
/// with a success, an unrelated exception or a hang.
/// </summary>
public sealed class MalformedResponseTests(CannedResponseServer server) : IClassFixture<CannedResponseServer>
{
    public static TheoryData<string, StatusCode> Cases => new()
    {
        { "truncated-gzip", StatusCode.Internal },
        { "truncated-frame", StatusCode.Internal },
        { "compressed-without-encoding", StatusCode.Internal },
        { "over-receive-limit", StatusCode.ResourceExhausted },
        { "http-400", StatusCode.Internal },
        { "http-401", StatusCode.Unauthenticated },
        { "http-403", StatusCode.PermissionDenied },
        { "http-404", StatusCode.Unimplemented },
        { "http-429", StatusCode.Unavailable },
        { "http-502", StatusCode.Unavailable },
        { "http-503", StatusCode.Unavailable },
        { "http-504", StatusCode.Unavailable },
        { "http-500", StatusCode.Unknown },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BrokenResponse_EndsCallWithSpecStatus(string @case, StatusCode expected)
    {
        var error = await CallAsync(@case);

        Assert.True(error is not null, $"{@case}: the call succeeded");
        Assert.True(expected == error.StatusCode, $"{@case}: expected {expected}, got {error.Status}");
    }

    [Fact]
    public async Task MissingGrpcStatus_IsAnError()
    {
        var error = await CallAsync("no-grpc-status");

        // A response that ends without grpc-status did not succeed; grpc-go and grpc-java report INTERNAL or UNKNOWN.
        Assert.True(error is not null, "a response without grpc-status was taken as success");
        Assert.Contains(error.StatusCode, new[] { StatusCode.Internal, StatusCode.Unknown, StatusCode.Cancelled });
    }

    [Fact]
    public async Task PercentEncodedMessage_IsDecoded()
    {
        var error = await CallAsync("percent-encoded-message");

        Assert.NotNull(error);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("café ☺ 100% done", error.Status.Detail);
    }

    [Fact]
    public async Task InvalidPercentEncoding_KeepsTheMessage()
    {
        var error = await CallAsync("invalid-percent-encoding");

        // The spec: never fail or drop the message on bad encoding; at worst pass it through undecoded.
        Assert.NotNull(error);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("bad %ZZ and ", error.Status.Detail);
    }

    private async Task<RpcException?> CallAsync(string @case)
    {
        using var channel = GrpcChannel.ForAddress($"{server.Address}/{@case}");
        var client = new TestService.TestServiceClient(channel);
        try
        {
            await client.UnaryCallAsync(new SimpleRequest(), deadline: DateTime.UtcNow.AddSeconds(15)).ResponseAsync.WithTimeout();
            return null;
        }
        catch (RpcException ex)
        {
            return ex;
        }
    }
}
