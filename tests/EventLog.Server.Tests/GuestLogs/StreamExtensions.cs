
namespace EventLog.Server.Tests.GuestLogs;

internal static class StreamExtensions
{
    /// <summary>Reads the next message of a stream, failing the test after <see cref="GuestLogTestAgent.TestTimeout"/>.</summary>
    public static async Task<T> NextAsync<T>(this IAsyncStreamReader<T> stream, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(GuestLogTestAgent.TestTimeout);
        Assert.True(await stream.MoveNext(cts.Token).WaitAsync(GuestLogTestAgent.TestTimeout), "The stream ended early.");
        return stream.Current;
    }
}
