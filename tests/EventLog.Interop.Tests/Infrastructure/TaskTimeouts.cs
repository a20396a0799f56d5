namespace EventLog.Interop.Tests.Infrastructure;

/// <summary>Every await in these tests is bounded, so a hang fails the test instead of stalling CI.</summary>
public static class TaskTimeouts
{
    /// <summary>The bound for one step of a test (a call, a process run).</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);

    /// <summary>Awaits with <see cref="Default"/> as the limit.</summary>
    public static Task<T> WithTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    /// <summary>Awaits with <see cref="Default"/> as the limit.</summary>
    public static Task WithTimeout(this Task task) => task.WaitAsync(Default);

    /// <summary>Awaits with the given limit.</summary>
    public static Task<T> WithTimeout<T>(this Task<T> task, TimeSpan timeout) => task.WaitAsync(timeout);

    /// <summary>Awaits with the given limit.</summary>
    public static Task WithTimeout(this Task task, TimeSpan timeout) => task.WaitAsync(timeout);

    /// <summary>Polls a condition until it holds or the limit passes.</summary>
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
