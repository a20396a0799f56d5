using Grpc.Core;

namespace EventLog.Tests.Shared;

/// <summary>
/// Every await in a test has a bound, so a hang fails the test (or the run of a benchmark) instead of
/// stalling it. One default for every project: it only matters when something hangs.
/// </summary>
public static class TestTimeouts
{
    /// <summary>The bound for one ordinary step (a call, a start, a read).</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    /// <summary>Awaits with <see cref="Default"/> as the limit.</summary>
    public static Task WithTimeout(this Task task) => task.WaitAsync(Default);

    /// <summary>Awaits with <see cref="Default"/> as the limit.</summary>
    public static Task<T> WithTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    /// <summary>Awaits with <see cref="Default"/> as the limit.</summary>
    public static Task WithTimeout(this ValueTask task) => task.AsTask().WaitAsync(Default);

    /// <summary>Awaits with <see cref="Default"/> as the limit.</summary>
    public static Task<T> WithTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Default);

    /// <summary>Awaits with the given limit.</summary>
    public static Task WithTimeout(this Task task, TimeSpan timeout) => task.WaitAsync(timeout);

    /// <summary>Awaits with the given limit.</summary>
    public static Task<T> WithTimeout<T>(this Task<T> task, TimeSpan timeout) => task.WaitAsync(timeout);

    /// <summary>A deadline for a call, <paramref name="seconds"/> from now.</summary>
    public static DateTime Deadline(double seconds = 20) => DateTime.UtcNow.AddSeconds(seconds);

    /// <summary>A token that fires after <see cref="Default"/>, for enumerations and calls.</summary>
    public static CancellationToken Token() => new CancellationTokenSource(Default).Token;

    /// <summary>The next message of a gRPC stream, or null once it ended; fails after <paramref name="timeout"/> (default <see cref="Default"/>) instead of hanging.</summary>
    public static async Task<T?> ReadNextAsync<T>(this IAsyncStreamReader<T> stream, TimeSpan? timeout = null)
        where T : class
    {
        var limit = timeout ?? Default;
        using var cts = new CancellationTokenSource(limit);
        return await stream.MoveNext(cts.Token).WaitAsync(limit) ? stream.Current : null;
    }

    /// <summary>Collects a stream until <paramref name="count"/> items arrived or it ended, within the default limit.</summary>
    public static async Task<List<T>> TakeAsync<T>(this IAsyncEnumerable<T> source, int count)
    {
        var items = new List<T>();
        using var cts = new CancellationTokenSource(Default);
        await foreach (var item in source.WithCancellation(cts.Token))
        {
            items.Add(item);
            if (items.Count >= count)
            {
                break;
            }
        }
        return items;
    }

    /// <summary>Polls <paramref name="condition"/> until true; throws <see cref="TimeoutException"/> naming <paramref name="what"/> after the default limit.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var giveUp = DateTime.UtcNow + Default;
        while (!await condition().WaitAsync(Default))
        {
            if (DateTime.UtcNow > giveUp)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Polls a condition until it holds (true) or the limit passes (false), for tests that assert with their own message.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? Default);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }
            await Task.Delay(20);
        }
        return true;
    }
}
