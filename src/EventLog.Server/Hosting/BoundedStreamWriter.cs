using Microsoft.AspNetCore.Http.Features;

namespace EventLog.Server.Hosting;

/// <summary>
/// A response stream whose writes may wait for the client at most <c>Grpc:StreamWriteTimeout</c>. A write
/// that waits longer resets the HTTP/2 stream with ENHANCE_YOUR_CALM (gRPC clients report it as
/// RESOURCE_EXHAUSTED), which releases the buffered response, and ends the handler with RESOURCE_EXHAUSTED.
/// A write that completes at once costs nothing extra.
/// </summary>
internal sealed class BoundedStreamWriter<T>(IServerStreamWriter<T> inner, TimeSpan timeout, HttpContext http, ILogger logger) : IServerStreamWriter<T>
{
    private const int EnhanceYourCalm = 0xB;

    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        var write = inner.WriteAsync(message, cancellationToken);
        return write.IsCompleted ? write : WaitAsync(write, cancellationToken);
    }

    private async Task WaitAsync(Task write, CancellationToken cancellationToken)
    {
        try
        {
            await write.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            StreamLog.SlowConsumerCut(logger, http.Request.Path.Value ?? "", timeout.TotalSeconds);
            if (http.Features.Get<IHttpResetFeature>() is { } reset)
            {
                reset.Reset(EnhanceYourCalm);
            }
            else
            {
                http.Abort();
            }
            throw Infrastructure.Errors.Create(StatusCode.ResourceExhausted, "SLOW_CONSUMER", $"The client read nothing for {timeout.TotalSeconds:0.###} s (Grpc:StreamWriteTimeout); the stream was cut off.");
        }
    }
}
