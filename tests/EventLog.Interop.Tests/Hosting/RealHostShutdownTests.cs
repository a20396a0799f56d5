using System.Diagnostics;
using EventLog.Tests.Shared;
using EventLog.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace EventLog.Interop.Tests.Hosting;

/// <summary>What a load balancer watching the real host, and a client following one of its streams, see when the host is told to stop.</summary>
public sealed class RealHostShutdownTests
{
    [Fact]
    public async Task SigTerm_OpenHealthWatch_ReceivesNotServing_ThenUnavailable_AndTheHostExitsCleanly()
    {
        var address = $"http://127.0.0.1:{FreePort.Next()}";
        using var server = InteropHost.Start(["--urls", address]);
        await server.WaitUntilListeningAsync();
        using var channel = GrpcChannel.ForAddress(address);
        var client = new Health.HealthClient(channel);
        using var watch = client.Watch(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(60));
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());
        Assert.Equal(ServingStatus.Serving, watch.ResponseStream.Current.Status);

        await server.TerminateAsync();
        var seen = new List<ServingStatus>();
        RpcException? ended = null;
        try
        {
            while (await watch.ResponseStream.MoveNext(CancellationToken.None).WithTimeout())
            {
                seen.Add(watch.ResponseStream.Current.Status);
            }
        }
        catch (RpcException ex)
        {
            ended = ex;
        }
        await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        // A load balancer needs NOT_SERVING before the stream ends, and never SERVING again. The host sometimes sends
        // NOT_SERVING twice (grpc-dotnet's health service and the host's stream interceptor both write it, reported):
        // a repeat tells a watcher nothing new, so it is tolerated here.
        Assert.True(
            seen.Count > 0 && seen.All(s => s == ServingStatus.NotServing),
            $"after SIGTERM the watcher saw [{string.Join(", ", seen)}], then {ended?.Status.ToString() ?? "OK"}\n{server.Output}");
        Assert.True(ended is { StatusCode: StatusCode.Unavailable }, $"the Watch ended with {ended?.Status.ToString() ?? watch.GetStatus().ToString()}");
        Assert.True(server.ExitCode == 0, $"the host exited {server.ExitCode} after SIGTERM:\n{server.Output}");
    }

    [Theory]
    [InlineData("WatchMessages")]
    [InlineData("TailTaskLog follow")]
    public async Task SigTerm_OpenEventLogStream_EndsUnavailableAtOnce_AndTheHostExitsSoon(string stream)
    {
        var address = $"http://127.0.0.1:{FreePort.Next()}";
        using var server = InteropHost.Start(["--urls", address], new Dictionary<string, string?>(InteropTokens.Environment()));
        await server.WaitUntilListeningAsync();
        using var channel = TestChannels.Create(address, InteropTokens.Admin);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // The first response proves the stream is open and its handler is waiting for more, as a follower's is.
        var (call, next) = stream == "WatchMessages" ? await OpenWatchAsync(channel, cts.Token) : await OpenFollowAsync(channel, cts.Token);
        using var open = call;

        var sinceTerm = Stopwatch.StartNew();
        await server.TerminateAsync();
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await next().WithTimeout())
            {
            }
        });
        var streamEnded = sinceTerm.Elapsed;
        await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var exited = sinceTerm.Elapsed;

        Assert.True(ended.StatusCode == StatusCode.Unavailable, $"the {stream} stream ended with {ended.Status}\n{server.Output}");
        Assert.Equal("SHUTTING_DOWN", ended.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        Assert.True(streamEnded < TimeSpan.FromSeconds(2), $"the {stream} stream ended {streamEnded.TotalMilliseconds:0} ms after SIGTERM");
        Assert.True(exited < TimeSpan.FromSeconds(10), $"the host exited {exited.TotalSeconds:0.0} s after SIGTERM:\n{server.Output}");
        Assert.True(server.ExitCode == 0, $"the host exited {server.ExitCode} after SIGTERM:\n{server.Output}");
        Assert.True(server.ErrorLinesSince(0).Count == 0, $"the host logged errors:\n{server.Output}");
    }

    /// <summary>An open stream: the call (to dispose) and its next read.</summary>
    private static async Task<(IDisposable Call, Func<Task<bool>> Next)> OpenWatchAsync(GrpcChannel channel, CancellationToken cancellationToken)
    {
        var client = new MessagesService.MessagesServiceClient(channel);
        var created = await client.CreateMessageAsync(
            new CreateMessageRequest { RequestId = "req-sigterm", ActionCode = "001", DetailCode = "003", Level = MessageLevel.Error },
            deadline: DateTime.UtcNow.AddSeconds(15)).ResponseAsync.WithTimeout();
        var call = client.WatchMessages(new WatchMessagesRequest { AfterSequence = created.Message.Sequence - 1 }, cancellationToken: cancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken).WithTimeout());
        Assert.Equal(created.Message.Id, call.ResponseStream.Current.Message.Id);
        return (call, () => call.ResponseStream.MoveNext(cancellationToken));
    }

    private static async Task<(IDisposable Call, Func<Task<bool>> Next)> OpenFollowAsync(GrpcChannel channel, CancellationToken cancellationToken)
    {
        var client = new TaskLogService.TaskLogServiceClient(channel);
        var task = (await client.StartTaskAsync(new StartTaskRequest { App = "kimchi", TargetUri = "/interop/sigterm" }, deadline: DateTime.UtcNow.AddSeconds(15)).ResponseAsync.WithTimeout()).Task;
        using (var append = client.AppendTaskLog(deadline: DateTime.UtcNow.AddSeconds(15)))
        {
            await append.RequestStream.WriteAsync(new AppendTaskLogRequest { TaskId = task.Id, Lines = { "copying disk" } }).WithTimeout();
            await append.RequestStream.CompleteAsync().WithTimeout();
            await append.ResponseAsync.WithTimeout();
        }
        var call = client.TailTaskLog(new TailTaskLogRequest { TaskId = task.Id, Follow = true }, cancellationToken: cancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken).WithTimeout());
        Assert.Equal(["copying disk"], call.ResponseStream.Current.Lines.Lines);
        return (call, () => call.ResponseStream.MoveNext(cancellationToken));
    }
}
