using EventLog.Interop.Tests.Infrastructure;
using EventLog.Interop.Tests.Services;
using Grpc.Core;
using Grpc.Testing;
using Xunit;

namespace EventLog.Interop.Tests.Interop;

/// <summary>
/// Our client against our server over the same cases: when a cross-implementation case fails, this
/// tells whether our client or our server is the side that is wrong. Also checks the server side of
/// cancellation and deadlines, which peers cannot see.
/// </summary>
public sealed class OurClientToOurServerTests(InProcessServer server) : IClassFixture<InProcessServer>
{
    private const string FullDuplexCall = "/grpc.testing.TestService/FullDuplexCall";
    private const string StreamingInputCall = "/grpc.testing.TestService/StreamingInputCall";

    [Theory]
    [MemberData(nameof(InteropClient.CaseNames), MemberType = typeof(InteropClient))]
    public async Task OurClient_OurServer_Passes(string testCase)
    {
        var errorsBefore = server.Logs.Errors.Count;
        var cancelledBefore = server.Service.CancelledCalls.Count;
        using var channel = server.CreateChannel();

        await new InteropClient(channel).RunAsync(testCase);

        var expectCancelled = testCase switch
        {
            "cancel_after_begin" => StreamingInputCall,
            "cancel_after_first_response" => FullDuplexCall,
            _ => null,
        };
        if (expectCancelled is not null)
        {
            Assert.True(
                await TaskTimeouts.EventuallyAsync(() => server.Service.CancelledCalls.Skip(cancelledBefore).Contains(expectCancelled)),
                $"The {expectCancelled} handler never saw the client's cancellation.");
        }
        server.AssertNoNewErrors(errorsBefore);
    }

    [Fact]
    public async Task Deadline_FiresHandlerCancellationToken()
    {
        var cancelledBefore = server.Service.CancelledCalls.Count;
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);

        using var call = client.FullDuplexCall(deadline: DateTime.UtcNow.AddMilliseconds(300));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(
            await TaskTimeouts.EventuallyAsync(() => server.Service.CancelledCalls.Skip(cancelledBefore).Contains(FullDuplexCall)),
            "The handler's CancellationToken did not fire at the deadline.");
    }

    [Fact]
    public async Task ErrorStatus_KeepsHeadersAndTrailersTheHandlerSet()
    {
        using var channel = server.CreateChannel();
        var client = new TestService.TestServiceClient(channel);
        byte[] trailing = [1, 2, 0xff];
        var headers = new Metadata { { TestServiceImpl.EchoInitialKey, "initial" }, { TestServiceImpl.EchoTrailingKey, trailing } };
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = (int)StatusCode.FailedPrecondition, Message = "not now ☺" } };

        using var call = client.UnaryCallAsync(request, headers, DateTime.UtcNow.AddSeconds(15));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WithTimeout());

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("not now ☺", error.Status.Detail);
        Assert.Equal(trailing, error.Trailers.GetValueBytes(TestServiceImpl.EchoTrailingKey));
        Assert.Equal("initial", (await call.ResponseHeadersAsync.WithTimeout()).GetValue(TestServiceImpl.EchoInitialKey));
    }

    [Theory]
    [MemberData(nameof(InteropClient.SizeLimitCaseNames), MemberType = typeof(InteropClient))]
    public async Task OurClient_OurServer_SizeLimits(string testCase)
    {
        var errorsBefore = server.Logs.Errors.Count;
        using var channel = server.CreateChannel();

        await new InteropClient(channel).RunAsync(testCase);

        server.AssertNoNewErrors(errorsBefore);
    }
}
