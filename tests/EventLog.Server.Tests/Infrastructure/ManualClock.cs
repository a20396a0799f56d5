using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventLog.Server.Tests.Infrastructure;

/// <summary>
/// A clock the test sets, for what the server time-stamps (request entries, task times). Timers and delays still
/// run on real time, so heartbeats and polling behave as usual; do not use it where the server compares its clock
/// with a call's deadline (WaitTask tells DEADLINE_EXCEEDED from CANCELLED that way).
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    /// <summary>The time the server reads now.</summary>
    public DateTimeOffset UtcNow
    {
        get => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _utcTicks, value.UtcTicks);
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => UtcNow;

    /// <summary>Registers this clock as the server's <see cref="TimeProvider"/>, replacing the system one.</summary>
    public void ReplaceIn(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(this);
    }
}
