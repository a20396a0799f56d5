using Grpc.Core;

namespace EventLog.Client.Internal;

/// <summary>Client-streaming calls (AppendTaskLog, UploadLog) whose outcome is always the server's.</summary>
internal static class ClientStreamCalls
{
    /// <summary>
    /// Writes the request messages with <paramref name="write"/>, completes the request stream and returns the response.
    /// The server may answer early (a rate limit, a refused batch) and end the call while messages are still being
    /// written: the write then fails locally (CANCELLED, or "the call is complete"), which would hide why. The call's
    /// outcome is the server's status, so that is what is thrown; a rate limit stays a rate limit and is resent.
    /// </summary>
    public static async Task<TResponse> SendAsync<TRequest, TResponse>(
        AsyncClientStreamingCall<TRequest, TResponse> call, Func<IClientStreamWriter<TRequest>, Task> write)
    {
        try
        {
            await write(call.RequestStream).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException)
        {
            await call.ResponseAsync.ConfigureAwait(false);
            throw;
        }
        return await call.ResponseAsync.ConfigureAwait(false);
    }
}
