

namespace EventLog.Storage.Tests.Internal;

public sealed class CommitSignalsTests
{
    [Fact]
    public void Next_KnowsNothingBeforeACommitOrARead()
    {
        new CommitSignals().Next("messages:p", out var latest);
        Assert.Null(latest);
    }

    [Fact]
    public async Task Signal_CompletesTheWaitWithTheSequence_AndIsRemembered()
    {
        var signals = new CommitSignals();
        var next = signals.Next("messages:p", out _);
        signals.Signal(new Dictionary<string, long> { ["messages:p"] = 5 });
        Assert.Equal(5, (await next.WaitAsync(TimeSpan.FromSeconds(5))).LastSequence);
        Assert.False(signals.Next("messages:p", out var latest).IsCompleted);
        Assert.Equal(5, latest);
    }

    [Fact]
    public async Task WakeAll_CompletesEveryWaitWithUnknown_AndForgetsNothingKnown()
    {
        var signals = new CommitSignals();
        signals.Signal(new Dictionary<string, long> { ["a"] = 3 });
        var a = signals.Next("a");
        var b = signals.Next("b");

        signals.WakeAll();

        Assert.Equal(CommitSignal.Unknown, (await a.WaitAsync(TimeSpan.FromSeconds(5))).LastSequence);
        Assert.Equal(CommitSignal.Unknown, (await b.WaitAsync(TimeSpan.FromSeconds(5))).LastSequence);
        Assert.False(signals.Next("a", out var latest).IsCompleted);
        Assert.Equal(3, latest);
    }

    [Fact]
    public async Task Signal_Announced_IsMarkedSo()
    {
        var signals = new CommitSignals();
        var next = signals.Next("k");
        signals.Signal(new Dictionary<string, long> { ["k"] = 2 }, announced: true);
        var signal = await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(signal.Announced);
        Assert.Equal(2, signal.LastSequence);
    }

    [Fact]
    public void Latest_KeepsTheGreatest_WhenSignalsArriveOutOfOrder_AndIgnoresTouches()
    {
        var signals = new CommitSignals();
        signals.Signal(new Dictionary<string, long> { ["k"] = 7 });
        signals.Signal(new Dictionary<string, long> { ["k"] = 6 });
        signals.Signal(new Dictionary<string, long> { ["k"] = 0 });
        signals.Next("k", out var latest);
        Assert.Equal(7, latest);
    }

    [Fact]
    public void Observe_RaisesButNeverLowers()
    {
        var signals = new CommitSignals();
        signals.Observe("k", 0);
        signals.Next("k", out var none);
        Assert.Null(none);
        signals.Observe("k", 9);
        signals.Observe("k", 4);
        signals.Next("k", out var latest);
        Assert.Equal(9, latest);
    }

    [Fact]
    public void Latest_IsForgottenPastTheBound_NeverWrong()
    {
        var signals = new CommitSignals();
        signals.Observe("first", 3);
        for (var i = 0; i < 10_000; i++)
        {
            signals.Observe($"k{i}", 1);
        }

        // Forgotten streams are read again by the next waiter; what is still known is still right.
        signals.Next("first", out var first);
        signals.Next("k9999", out var last);
        Assert.Null(first);
        Assert.Equal(1, last);
    }

    [Fact]
    public async Task PendingWaitsPastTheBound_AreWokenWithUnknown_NotAsATouch()
    {
        var signals = new CommitSignals();
        var first = signals.Next("first");
        for (var i = 0; i < 10_000; i++)
        {
            _ = signals.Next($"k{i}");
        }

        // The pruned wait must read its stream again; a 0 would tell a wait without a touch count that it was touched.
        Assert.Equal(CommitSignal.Unknown, (await first.WaitAsync(TimeSpan.FromSeconds(5))).LastSequence);
        Assert.False(signals.Next("first").IsCompleted);
    }
}
