using EventLog.Rpc.Server.Internal;

namespace EventLog.Rpc.Server.Tests;

/// <summary>The gate that keeps one writer at a time in a call's response.</summary>
public sealed class WriteGateTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FreeGate_EntersAtOnce_AndCanBeEnteredAgainAfterExit()
    {
        var holder = new Holder();

        var first = holder.Gate.EnterAsync(CancellationToken.None);
        Assert.True(first.IsCompletedSuccessfully);
        holder.Gate.Exit();
        var second = holder.Gate.EnterAsync(CancellationToken.None);

        Assert.True(second.IsCompletedSuccessfully);
        await second;
    }

    [Fact]
    public async Task HeldGate_WaitersGetItInArrivalOrder()
    {
        var holder = new Holder();
        await holder.Gate.EnterAsync(CancellationToken.None);
        var order = new List<int>();
        var waiters = Enumerable.Range(1, 3).Select(i => EnterThenRecordAsync(holder, order, i)).ToArray();

        Assert.All(waiters, w => Assert.False(w.IsCompleted));
        holder.Gate.Exit();
        await Task.WhenAll(waiters).WaitAsync(Timeout);

        Assert.Equal([1, 2, 3], order);
        // The last waiter left it free.
        Assert.True(holder.Gate.EnterAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CancelledWaiter_ThrowsAndIsPassedOver()
    {
        var holder = new Holder();
        await holder.Gate.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = holder.Gate.EnterAsync(cancel.Token).AsTask();
        var next = holder.Gate.EnterAsync(CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeout));
        Assert.False(next.IsCompleted);
        holder.Gate.Exit();

        await next.WaitAsync(Timeout);
        holder.Gate.Exit();
        Assert.True(holder.Gate.EnterAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AlreadyCancelledToken_OnAHeldGate_Throws()
    {
        var holder = new Holder();
        await holder.Gate.EnterAsync(CancellationToken.None);

        Assert.ThrowsAny<OperationCanceledException>(() => holder.Gate.EnterAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task ManyThreads_NeverTwoInside()
    {
        var holder = new Holder();
        var inside = 0;
        var maxInside = 0;
        var entries = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                await holder.Gate.EnterAsync(CancellationToken.None);
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref maxInside, now);
                if (i % 100 == 0)
                {
                    await Task.Yield();
                }
                entries++;
                Interlocked.Decrement(ref inside);
                holder.Gate.Exit();
            }
        }))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, maxInside);
        // Unsynchronized increments add up only if the gate kept everyone else out.
        Assert.Equal(8 * 2_000, entries);
    }

    private static async Task EnterThenRecordAsync(Holder holder, List<int> order, int id)
    {
        await holder.Gate.EnterAsync(CancellationToken.None);
        order.Add(id);
        holder.Gate.Exit();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    /// <summary>The gate lives in a field, as in the call context (a struct copied would be a different gate).</summary>
    private sealed class Holder
    {
        public WriteGate Gate;
    }
}
