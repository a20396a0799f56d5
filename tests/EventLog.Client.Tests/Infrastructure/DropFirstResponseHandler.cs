namespace EventLog.Client.Tests.Infrastructure;

/// <summary>
/// Loses the response of the first call to one method after the server fully processed it (the body is
/// read, then the connection "fails"), as a network cut between server and client would. The client
/// sees UNAVAILABLE and retries.
/// </summary>
public sealed class DropFirstResponseHandler(string methodPath) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _dropped;

    /// <summary>How many calls to the method went through this handler.</summary>
    public int Calls;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri?.AbsolutePath != methodPath)
        {
            return response;
        }
        Interlocked.Increment(ref Calls);
        if (Interlocked.Exchange(ref _dropped, 1) != 0)
        {
            return response;
        }
        // Read the whole response (message and trailers): the server has committed the write.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        response.Dispose();
        throw new HttpRequestException("The response was lost on the way (simulated).");
    }
}
