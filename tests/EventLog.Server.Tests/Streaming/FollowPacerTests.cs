using System.Diagnostics;
using EventLog.Server.Infrastructure;
using EventLog.V1;
using Microsoft.Extensions.Options;
using static EventLog.Server.Tests.TaskLog.TaskLogTestKit;

namespace EventLog.Server.Tests.Streaming;

/// <summary>Followers read at most once per linger while their stream is busy, and lose nothing by it.</summary>
public sealed class FollowPacerTests
{
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task BeforeAnyRead_DoesNotWait_RightAfterARead_WaitsOutTheLinger()
    {
        var pacer = new FollowPacer(Linger);
        Assert.True(pacer.PaceAsync(CancellationToken.None).IsCompletedSuccessfully);
        pacer.Read();
        var clock = Stopwatch.StartNew();
        await pacer.PaceAsync(CancellationToken.None).AsTask().WaitAsync(CallTimeout);
        // Timers may round down by a millisecond or so; the point is that the wait was held back.
        Assert.True(clock.Elapsed >= Linger - TimeSpan.FromMilliseconds(20), $"paced for {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task ALingerAfterARead_DoesNotWait()
    {
        var pacer = new FollowPacer(TimeSpan.FromMilliseconds(50));
        pacer.Read();
        await Task.Delay(TimeSpan.FromMilliseconds(80));
        Assert.True(pacer.PaceAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public void ZeroLinger_NeverWaits()
    {
        var pacer = new FollowPacer(TimeSpan.Zero);
        for (var i = 0; i < 3; i++)
        {
            pacer.Read();
            Assert.True(pacer.PaceAsync(CancellationToken.None).IsCompletedSuccessfully);
        }
    }

    [Fact]
    public async Task Cancelled_WhileWaiting_Throws()
    {
        var pacer = new FollowPacer(TimeSpan.FromSeconds(1));
        pacer.Read();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pacer.PaceAsync(cts.Token).AsTask().WaitAsync(CallTimeout));
    }

    [Fact]
    public async Task WatchMessages_WithALongLinger_DeliversEveryMessageOfABurstInOrder()
    {
        await using var kit = await Messages.MessagesTestKit.StartAsync(("Messages:WatchLinger", "00:00:00.300"));
        using var watch = kit.Reader.WatchMessages(new WatchMessagesRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        await kit.CreateAsync("req-0");
        var sequences = new List<long> { (await Messages.MessagesTestKit.NextMessageAsync(watch.ResponseStream)).Sequence };
        for (var i = 1; i <= 5; i++)
        {
            await kit.CreateAsync("req-" + i);
        }

        while (sequences.Count < 6)
        {
            sequences.Add((await Messages.MessagesTestKit.NextMessageAsync(watch.ResponseStream)).Sequence);
        }

        Assert.Equal([1, 2, 3, 4, 5, 6], sequences);
    }

    [Theory]
    [InlineData("Messages:WatchLinger", "00:00:02")]
    [InlineData("Messages:WatchLinger", "-00:00:01")]
    [InlineData("TaskLog:FollowLinger", "00:00:02")]
    public async Task LingerOutOfRange_FailsStartupValidation(string key, string value)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => EventLogHost.StartAsync([new(key, value)]).WaitAsync(CallTimeout));
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }
}
