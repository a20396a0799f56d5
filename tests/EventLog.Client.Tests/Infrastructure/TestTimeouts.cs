namespace EventLog.Client.Tests.Infrastructure;

/// <summary>Every await in a test has a timeout, so a hang fails the test instead of stalling the run.</summary>
public static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    public static Task WithTimeout(this Task task) => task.WaitAsync(Default);

    public static Task<T> WithTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task WithTimeout(this ValueTask task) => task.AsTask().WaitAsync(Default);

    /// <summary>A token that fires after the default timeout, for enumerations and calls.</summary>
    public static CancellationToken Token() => new CancellationTokenSource(Default).Token;

    /// <summary>Collects a stream until <paramref name="count"/> items arrived or it ended, within the timeout.</summary>
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

    /// <summary>Polls <paramref name="condition"/> until true, failing after the timeout.</summary>
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
}
