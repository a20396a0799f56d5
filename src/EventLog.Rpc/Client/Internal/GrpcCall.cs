using System.IO.Pipelines;
using Grpc.Core;

namespace EventLog.Rpc.Client.Internal;

/// <summary>
/// One call on a channel: its HTTP/2 exchange, deadline, cancellation and final status.
/// The status is set exactly once, by whichever comes first: the server's trailers, a local error,
/// the deadline, the caller's cancellation, or disposal. Split by concern: sending in
/// <c>GrpcCall.Send.cs</c>, receiving in <c>GrpcCall.Receive.cs</c>, deadline and cancellation in
/// <c>GrpcCall.Cancellation.cs</c>.
/// </summary>
internal sealed partial class GrpcCall<TRequest, TResponse> : IDisposable
    where TRequest : class
    where TResponse : class
{
    private static readonly Status CancelledByClient = new(StatusCode.Cancelled, "Call canceled by the client.");
    private static readonly Status DisposedStatus = new(StatusCode.Cancelled, "gRPC call disposed.");
    private static readonly Status DeadlineExceeded = new(StatusCode.DeadlineExceeded, "Deadline Exceeded");
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(30);

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource<Metadata> _headersTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completedTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DateTime _deadline;
    private CancellationTokenRegistration _callerCancellation;
    private Timer? _deadlineTimer;
    private StreamingContent? _requestContent;
    private Task<bool> _responseReady = Task.FromResult(false);
    private HttpResponseMessage? _response;
    private PipeReader? _reader;
    private string? _responseEncoding;
    private Status? _status;
    private Metadata? _trailers;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        Channel = channel;
        Method = method;
        Options = options;
        _deadline = NormalizeDeadline(options.Deadline);
    }

    public GrpcChannel Channel { get; }

    public Method<TRequest, TResponse> Method { get; }

    public CallOptions Options { get; }

    public Task<Metadata> ResponseHeadersAsync => _headersTcs.Task;

    /// <summary>Completes when the call has its final status.</summary>
    public Task Completion => _completedTcs.Task;

    /// <summary>Fires when the call ends with an error, is cancelled or times out.</summary>
    public CancellationToken CallCancellationToken => _cts.Token;

    public Task<TResponse> StartUnary(TRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Start(request);
        return ReadSingleResponseAsync();
    }

    public void StartServerStreaming(TRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Start(request);
    }

    public (IClientStreamWriter<TRequest> Writer, Task<TResponse> Response) StartClientStreaming()
    {
        var writer = StartStreamingRequest();
        return (writer, ReadSingleResponseAsync());
    }

    public IClientStreamWriter<TRequest> StartDuplexStreaming() => StartStreamingRequest();

    public Status GetStatus()
    {
        lock (_lock)
        {
            return _status ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");
        }
    }

    public Metadata GetTrailers()
    {
        lock (_lock)
        {
            return _trailers ?? throw new InvalidOperationException("Can't get the call trailers because the call is not complete.");
        }
    }

    /// <summary>The exception that reports the final status; only valid once the call is finished with an error.</summary>
    public Exception CreateFinalException()
    {
        lock (_lock)
        {
            if (_status is not { } status)
            {
                return new InvalidOperationException("The call is not complete.");
            }
            return status.StatusCode == StatusCode.OK
                ? new InvalidOperationException("The call is already complete.")
                : new RpcException(status, _trailers ?? Metadata.Empty);
        }
    }

    public bool IsFinished
    {
        get
        {
            lock (_lock)
            {
                return _status.HasValue;
            }
        }
    }

    /// <summary>Sets the final status once; returns false when the call had already finished.</summary>
    /// <param name="status">The final status.</param>
    /// <param name="trailers">The trailers that came with it.</param>
    /// <param name="responseComplete">
    /// The server ended its response (the status came from it). An unfinished request stream is then ended with
    /// END_STREAM rather than reset: the server already finished the call, so there is nothing to cancel.
    /// </param>
    public bool Finish(Status status, Metadata trailers, bool responseComplete = false)
    {
        HttpResponseMessage? response;
        lock (_lock)
        {
            if (_status.HasValue)
            {
                return false;
            }
            _status = status;
            _trailers = trailers.IsReadOnly ? trailers : trailers.Freeze();
            // OK comes only after the response was read to its end, so disposing it is always safe here.
            response = _response;
        }
        var ok = status.StatusCode == StatusCode.OK;
        if (!ok)
        {
            // Aborts whatever is pending: connecting, credentials, reads and writes.
            _cts.Cancel();
        }
        if (_headersTcs.TrySetException(new RpcException(status, _trailers)))
        {
            // Nobody has to look at the headers of a failed call; don't report them as unobserved.
            _ = _headersTcs.Task.Exception;
        }
        _requestContent?.Finish(graceful: ok || responseComplete);
        _deadlineTimer?.Dispose();
        _callerCancellation.Unregister();
        // Disposing an unfinished response resets the HTTP/2 stream (RST_STREAM CANCEL), so the server stops too.
        response?.Dispose();
        _completedTcs.TrySetResult();
        return true;
    }

    private IClientStreamWriter<TRequest> StartStreamingRequest()
    {
        _requestContent = new StreamingContent();
        var writer = new ClientStreamWriter<TRequest, TResponse>(this, _requestContent);
        Start(null);
        return writer;
    }

    private void Start(TRequest? unaryRequest)
    {
        if (Options.CancellationToken.IsCancellationRequested)
        {
            Cancel(CancelledByClient);
            return;
        }
        if (_deadline != DateTime.MaxValue)
        {
            var remaining = _deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                // Already past: fail without sending anything.
                Cancel(DeadlineExceeded);
                return;
            }
            _deadlineTimer = new Timer(static state => ((GrpcCall<TRequest, TResponse>)state!).OnDeadlineTimer(), this, Due(remaining), Timeout.InfiniteTimeSpan);
        }
        if (Options.CancellationToken.CanBeCanceled)
        {
            _callerCancellation = Options.CancellationToken.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).CancelByCaller(), this);
        }
        _responseReady = SendAsync(unaryRequest);
    }
}
