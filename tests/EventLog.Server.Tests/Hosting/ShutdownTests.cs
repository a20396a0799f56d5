using System.Diagnostics;
using EventLog.V1;
using Grpc.AspNetCore.Server;
using Grpc.Core.Interceptors;

namespace EventLog.Server.Tests.Hosting;

/// <summary>
/// A graceful stop: unary calls already running finish, while streams and long polls end at once with
/// UNAVAILABLE so clients resume elsewhere, instead of holding the host until its shutdown timeout.
/// </summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_WithAnOpenFollow_EndsItUnavailable_AndStopsWithinASecond()
    {
        await using var server = await EventLogHost.StartAsync();
        var client = new TaskLogService.TaskLogServiceClient(server.CreateChannel());
        var task = (await client.StartTaskAsync(new StartTaskRequest { RequestId = "stop-1", App = "kimchi", TargetUri = "/vms/a" }, deadline: Deadline())).Task;
        using var follow = client.TailTaskLog(new TailTaskLogRequest { TaskId = task.Id, Follow = true }, deadline: Deadline());
        using var watch = client.WaitTaskAsync(new WaitTaskRequest { TaskId = task.Id }, deadline: Deadline());
        // The follow is open once its first heartbeat or line could be read; give both calls time to reach the server.
        await Task.Delay(300);

        var stopwatch = Stopwatch.StartNew();
        await server.StopAsync();
        stopwatch.Stop();

        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await follow.ResponseStream.MoveNext(CancellationToken.None).WithTimeout())
            {
            }
        });
        Assert.Equal(StatusCode.Unavailable, ended.StatusCode);
        RpcAssert.HasErrorInfo(ended);
        var waited = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseAsync.WithTimeout());
        Assert.Equal(StatusCode.Unavailable, waited.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"the host took {stopwatch.Elapsed} to stop with a follow open");
    }

    [Fact]
    public async Task Stop_WithAnOpenHealthWatch_SendsNotServing_EndsItUnavailable_AndStopsWithinASecond()
    {
        await using var server = await EventLogHost.StartAsync();
        using var watch = new Grpc.Health.V1.Health.HealthClient(server.CreateAnonymousChannel()).Watch(new Grpc.Health.V1.HealthCheckRequest(), deadline: Deadline());
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None).WithTimeout());

        var stopwatch = Stopwatch.StartNew();
        await server.StopAsync();
        stopwatch.Stop();

        var seen = new List<Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus>();
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await watch.ResponseStream.MoveNext(CancellationToken.None).WithTimeout())
            {
                seen.Add(watch.ResponseStream.Current.Status);
            }
        });
        Assert.Equal([Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.NotServing], seen);
        Assert.Equal(StatusCode.Unavailable, ended.StatusCode);
        RpcAssert.HasErrorInfo(ended);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"the host took {stopwatch.Elapsed} to stop with a health watch open");
    }

    [Fact]
    public async Task Stop_WithAUnaryCallRunning_LetsItFinish()
    {
        var gate = new SlowCallGate();
        await using var server = await EventLogHost.StartAsync(configureServices: services =>
        {
            services.AddSingleton(gate);
            services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<SlowCallInterceptor>());
        });
        var client = new MessagesService.MessagesServiceClient(server.CreateChannel());
        using var call = client.ListMessagesAsync(new ListMessagesRequest(), new Metadata { { SlowCallInterceptor.Header, "800" } }, Deadline());
        await gate.Started.Task.WithTimeout();

        var stop = server.StopAsync();
        var response = await call.ResponseAsync.WithTimeout();
        await stop.WithTimeout();

        Assert.NotNull(response);
    }

    private static DateTime Deadline() => TestTimeouts.Deadline(30);

    /// <summary>Tells the test that a slowed call is running.</summary>
    public sealed class SlowCallGate
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Holds a unary call that asks for it (header <see cref="Header"/>, milliseconds) before its handler runs.</summary>
    public sealed class SlowCallInterceptor(SlowCallGate gate) : Interceptor
    {
        public const string Header = "x-test-delay-ms";

        public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            if (context.RequestHeaders.GetValue(Header) is { } delay)
            {
                gate.Started.TrySetResult();
                // Not the call's token: a draining call is not cancelled.
                await Task.Delay(int.Parse(delay, System.Globalization.CultureInfo.InvariantCulture));
            }
            return await continuation(request, context);
        }
    }
}
