namespace EventLog.Security.Tests.Infrastructure;

/// <summary>Every await in these tests has a bound, so a hang fails the test instead of stalling the run.</summary>
public static class TestTimeouts
{
    /// <summary>The bound for one ordinary step (a call, a start, a read).</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>Awaits with <see cref="Step"/> as the limit.</summary>
    public static Task WithTimeout(this Task task) => task.WaitAsync(Step);

    /// <summary>Awaits with <see cref="Step"/> as the limit.</summary>
    public static Task<T> WithTimeout<T>(this Task<T> task) => task.WaitAsync(Step);

    /// <summary>A deadline for a call, <paramref name="seconds"/> from now.</summary>
    public static DateTime Deadline(double seconds = 20) => DateTime.UtcNow.AddSeconds(seconds);
}
