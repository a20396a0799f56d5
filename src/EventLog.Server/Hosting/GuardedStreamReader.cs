
namespace EventLog.Server.Hosting;

/// <summary>
/// A request stream whose framing errors (a bad compressed flag, a message above the size limit, a body cut
/// short) end the call with INTERNAL instead of grpc-dotnet's UNKNOWN and error log. A client that went away
/// still ends the call as cancelled.
/// </summary>
internal sealed class GuardedStreamReader<T>(IAsyncStreamReader<T> inner, ServerCallContext context) : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        try
        {
            return await inner.MoveNext(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException && !context.CancellationToken.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Infrastructure.Errors.Create(StatusCode.Internal, "MALFORMED_MESSAGE", $"The request stream is malformed: {ex.Message}");
        }
    }
}
