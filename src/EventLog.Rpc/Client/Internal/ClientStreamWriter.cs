using System.IO.Pipelines;
using EventLog.Rpc.Internal;
using Grpc.Core;

namespace EventLog.Rpc.Client.Internal;

/// <summary>Writes request messages of a client- or duplex-streaming call; one write at a time.</summary>
internal sealed class ClientStreamWriter<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call, StreamingContent content) : IClientStreamWriter<TRequest>
    where TRequest : class
    where TResponse : class
{
    private static readonly TimeSpan StatusGracePeriod = TimeSpan.FromSeconds(2);
    private readonly Lock _lock = new();
    private Task _lastWrite = Task.CompletedTask;
    private bool _completed;
    private PipeWriter? _pipe;

    public WriteOptions? WriteOptions { get; set; } = call.Options.WriteOptions;

    public Task WriteAsync(TRequest message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(TRequest message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            if (_completed)
            {
                return Task.FromException(new InvalidOperationException("Request stream has already been completed."));
            }
            if (!_lastWrite.IsCompleted)
            {
                return Task.FromException(new InvalidOperationException("Can't write the message because the previous write is in progress."));
            }
            return _lastWrite = WriteCoreAsync(message, cancellationToken);
        }
    }

    public Task CompleteAsync()
    {
        lock (_lock)
        {
            if (!_lastWrite.IsCompleted)
            {
                return Task.FromException(new InvalidOperationException("Can't complete the request stream because the previous write is in progress."));
            }
            _completed = true;
        }
        content.Complete();
        return Task.CompletedTask;
    }

    private async Task WriteCoreAsync(TRequest message, CancellationToken cancellationToken)
    {
        if (call.IsFinished)
        {
            throw call.CreateFinalException();
        }
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).CancelByCaller(), call)
            : default;
        try
        {
            // The stream exists once the request headers went out; a call that fails before that never gets one.
            await Task.WhenAny(content.StreamTask, call.Completion).ConfigureAwait(false);
            if (!content.StreamTask.IsCompletedSuccessfully)
            {
                throw call.CreateFinalException();
            }
            _pipe ??= PipeWriter.Create(content.StreamTask.Result, new StreamPipeWriterOptions(leaveOpen: true));
            var encoding = WriteOptions is { } writeOptions && writeOptions.Flags.HasFlag(WriteFlags.NoCompress) ? null : call.Channel.RequestEncoding;
            await MessageFraming.WriteAsync(_pipe, message, call.Method.RequestMarshaller.ContextualSerializer, call.Channel.MaxSendMessageSize, encoding, call.CallCancellationToken).ConfigureAwait(false);
        }
        // Other InvalidOperationExceptions are misuse (a serializer that broke its contract) and stay as they are; a
        // disposed HTTP request stream means the call ended under the write.
        catch (Exception ex) when (ex is not InvalidOperationException || ex is ObjectDisposedException)
        {
            if (ex is RpcException rpc && !call.IsFinished)
            {
                // A message the client may not send (too large, unserializable) ends the call.
                call.Cancel(rpc.Status);
            }
            else if (!call.IsFinished)
            {
                // A server that ends the call early resets the request stream, which can fail this write before its
                // status has been read; that status is the reason to report, so give it a moment to arrive.
                await call.Completion.WaitAsync(StatusGracePeriod).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            if (call.IsFinished)
            {
                throw call.CreateFinalException();
            }
            // The body could not be written, but the response may still carry the server's real status.
            throw new RpcException(call.StatusFromException(ex));
        }
    }
}
