using EventLog.Rpc;
using EventLog.Rpc.Server.Tests.Infrastructure;
using EventLog.Rpc.Server.Tests.Protos;
using Grpc.Core;

namespace EventLog.Rpc.Server.Tests;

public sealed class MetadataAndStatusTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CustomMetadata_TextAndBinary_RoundTripsInHeadersAndTrailers()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new RpcTest.RpcTestClient(channel);
        var binary = new byte[] { 0, 1, 2, 0xfe, 0xff };

        using var call = client.EchoAsync(new EchoRequest { Text = "m" }, new Metadata { { "x-echo-initial", "hello" }, { "x-echo-trailing-bin", binary } });
        await call.ResponseAsync.WaitAsync(Timeout);
        var headers = await call.ResponseHeadersAsync.WaitAsync(Timeout);

        Assert.Equal("hello", headers.GetValue("x-echo-initial"));
        Assert.Equal(binary, call.GetTrailers().GetValueBytes("x-echo-trailing-bin"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestMetadata_IsEveryHeaderButTheProtocolOnes(bool withCustom)
    {
        await using var host = await RuntimeHost.StartAsync();
        using var raw = host.CreateRawClient();
        (string, string)[] protocol = [("user-agent", "probe/1"), ("grpc-timeout", "30S"), ("grpc-accept-encoding", "identity,gzip"), ("grpc-encoding", "identity")];
        (string, string)[] custom = [("x-one", "1"), ("x-two-bin", Convert.ToBase64String([1, 2, 3])), ("x-three", "3")];

        var response = await RawGrpc.SendAsync(raw, "/eventlog.rpctest.RpcTest/Echo", RawGrpc.Frame(new EchoRequest { Text = "m" }), headers: withCustom ? [.. protocol, .. custom] : protocol);

        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal(withCustom ? ["x-one=1", "x-three=3", "x-two-bin=AQID"] : [], host.Probe.EchoMetadata?.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RpcException_StatusAndTrailers_ReachClient()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new RpcTest.RpcTestClient(channel);
        const string message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest { Text = message, FailWithCode = (int)StatusCode.NotFound }).ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal(message, ex.Status.Detail);
        Assert.Equal("kept", ex.Trailers.GetValue("x-failure-trailer"));
    }

    [Fact]
    public async Task ErrorsWithoutDetails_CarryErrorInfoNamingTheCode()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new RpcTest.RpcTestClient(channel);

        var handler = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest { Text = "x", FailWithCode = (int)StatusCode.NotFound }).ResponseAsync.WaitAsync(Timeout));
        var marshaller = Marshallers.Create<EchoRequest>((m, c) => c.Complete(Google.Protobuf.MessageExtensions.ToByteArray(m)), c => EchoRequest.Parser.ParseFrom(c.PayloadAsNewBuffer()));
        var missing = new Method<EchoRequest, EchoRequest>(MethodType.Unary, "nope.Missing", "Echo", marshaller, marshaller);
        var unknownMethod = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(missing, null, new CallOptions(), new EchoRequest()).ResponseAsync.WaitAsync(Timeout));

        Assert.Equal(StatusCode.NotFound, handler.StatusCode);
        var info = handler.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>();
        Assert.Equal(("NOT_FOUND", StatusDetails.ErrorDomain), (info?.Reason, info?.Domain));
        // The runtime's own UNIMPLEMENTED (trailers-only) carries the ErrorInfo too.
        Assert.Equal(StatusCode.Unimplemented, unknownMethod.StatusCode);
        Assert.Equal("UNIMPLEMENTED", unknownMethod.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason);
    }

    [Fact]
    public async Task ClientStreaming_SumsAllMessages()
    {
        await using var host = await RuntimeHost.StartAsync();
        using var channel = host.CreateChannel();
        var client = new RpcTest.RpcTestClient(channel);

        using var call = client.Sum();
        for (var i = 1; i <= 100; i++)
        {
            await call.RequestStream.WriteAsync(new CountResponse { Value = i }).WaitAsync(Timeout);
        }
        await call.RequestStream.CompleteAsync().WaitAsync(Timeout);

        Assert.Equal(5050, (await call.ResponseAsync.WaitAsync(Timeout)).Sum);
    }

    [Fact]
    public async Task Interceptor_WrapsEveryCall()
    {
        await using var host = await RuntimeHost.StartAsync(o => o.AddInterceptor<TrailerInterceptor>());
        using var channel = host.CreateChannel();
        var client = new RpcTest.RpcTestClient(channel);

        using var call = client.EchoAsync(new EchoRequest { Text = "i" });
        await call.ResponseAsync.WaitAsync(Timeout);

        Assert.Equal("/eventlog.rpctest.RpcTest/Echo", call.GetTrailers().GetValue("x-intercepted"));
    }

    private sealed class TrailerInterceptor : Grpc.Core.Interceptors.Interceptor
    {
        public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            var response = await continuation(request, context);
            context.ResponseTrailers.Add("x-intercepted", context.Method);
            return response;
        }
    }
}
