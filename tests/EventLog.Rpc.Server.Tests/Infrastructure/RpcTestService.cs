using EventLog.Rpc.Server.Tests.Protos;
using Grpc.Core;

namespace EventLog.Rpc.Server.Tests.Infrastructure;

/// <summary>The test service; records what its handlers observed so tests can assert on it.</summary>
public sealed class RpcTestService(HandlerProbe probe) : RpcTest.RpcTestBase
{
    public override async Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context)
    {
        if (request.FailWithCode != 0)
        {
            var trailers = new Metadata { { "x-failure-trailer", "kept" } };
            throw new RpcException(new Status((StatusCode)request.FailWithCode, request.Text), trailers);
        }
        var echoHeader = context.RequestHeaders.GetValue("x-echo-initial");
        if (echoHeader is not null)
        {
            await context.WriteResponseHeadersAsync(new Metadata { { "x-echo-initial", echoHeader } });
        }
        var echoBinary = context.RequestHeaders.GetValueBytes("x-echo-trailing-bin");
        if (echoBinary is not null)
        {
            context.ResponseTrailers.Add("x-echo-trailing-bin", echoBinary);
        }
        probe.EchoMetadata = [.. context.RequestHeaders.Select(e => $"{e.Key}={(e.IsBinary ? Convert.ToBase64String(e.ValueBytes) : e.Value)}")];
        return new EchoResponse { Text = request.Text, Payload = request.Payload };
    }

    public override async Task<SleepResponse> Sleep(SleepRequest request, ServerCallContext context)
    {
        probe.Started.TrySetResult();
        try
        {
            await Task.Delay(request.Milliseconds, request.IgnoreCancellation ? CancellationToken.None : context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.Cancelled.TrySetResult();
            throw;
        }
        return new SleepResponse();
    }

    public override async Task Count(CountRequest request, IServerStreamWriter<CountResponse> responseStream, ServerCallContext context)
    {
        try
        {
            if (request.BufferHint)
            {
                responseStream.WriteOptions = new WriteOptions(WriteFlags.BufferHint);
            }
            for (var i = 1; request.Count == 0 || i <= request.Count; i++)
            {
                await responseStream.WriteAsync(new CountResponse { Value = i });
                await Task.Delay(request.IntervalMilliseconds, context.CancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            probe.Cancelled.TrySetResult();
            throw;
        }
    }

    public override async Task<SumResponse> Sum(IAsyncStreamReader<CountResponse> requestStream, ServerCallContext context)
    {
        long sum = 0;
        await foreach (var item in requestStream.ReadAllAsync(context.CancellationToken))
        {
            // A negative value ends the call at once, while the client may still be writing.
            if (item.Value < 0)
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"no such value {item.Value}"));
            }
            sum += item.Value;
        }
        return new SumResponse { Sum = sum };
    }
}

/// <summary>What a handler saw, for assertions.</summary>
public sealed class HandlerProbe
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The request metadata the last successful Echo saw, as key=value.</summary>
    public string[]? EchoMetadata { get; set; }
}
