using EventLog.V1;
using static EventLog.Server.Tests.Messages.MessagesTestKit;

namespace EventLog.Server.Tests.Messages;

public sealed class WatchMessagesTests
{
    [Fact]
    public async Task Watch_SendsBacklogThenLiveMessages_AndHeartbeatsWhenIdle()
    {
        await using var kit = await StartAsync();
        await kit.CreateAsync("req-1");
        await kit.CreateAsync("req-2");

        using var watch = kit.Reader.WatchMessages(new WatchMessagesRequest(), deadline: Deadline);
        Assert.Equal("req-1", (await NextMessageAsync(watch.ResponseStream)).Message.RequestId);
        Assert.Equal("req-2", (await NextMessageAsync(watch.ResponseStream)).Message.RequestId);

        var heartbeat = await NextAsync(watch.ResponseStream);
        Assert.NotNull(heartbeat);
        Assert.Equal(WatchMessagesResponse.UpdateOneofCase.Heartbeat, heartbeat.UpdateCase);
        Assert.Equal(2, heartbeat.Sequence);

        await kit.CreateAsync("req-3");
        await kit.CreateAsync("req-b", client: kit.AgentB);
        var live = await NextMessageAsync(watch.ResponseStream);
        Assert.Equal("req-3", live.Message.RequestId);
        Assert.Equal(3, live.Sequence);
    }

    [Fact]
    public async Task Watch_ResumesFromASequence_WithoutGapOrDuplicate()
    {
        await using var kit = await StartAsync(("Messages:WatchBatchSize", "2"));
        for (var i = 1; i <= 5; i++)
        {
            await kit.CreateAsync("req-" + i);
        }

        using var watch = kit.Reader.WatchMessages(new WatchMessagesRequest { AfterSequence = 2 }, deadline: Deadline);
        var sequences = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var next = await NextMessageAsync(watch.ResponseStream);
            Assert.False(next.Reset);
            sequences.Add(next.Sequence);
        }

        Assert.Equal([3, 4, 5], sequences);
    }

    [Fact]
    public async Task Watch_FromAReapedPosition_SaysSoOnTheFirstResponse()
    {
        await using var kit = await StartAsync(("Storage:Retention:MessageTtl", "00:00:01"), ("Storage:Retention:ReapInterval", "00:00:00.200"));
        await kit.CreateAsync("old-1");
        await kit.CreateAsync("old-2");
        var until = DateTime.UtcNow + CallTimeout;
        while ((await kit.Reader.ListMessagesAsync(new ListMessagesRequest(), deadline: Deadline)).Messages.Count > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
        }

        using var watch = kit.Reader.WatchMessages(new WatchMessagesRequest { AfterSequence = 1 }, deadline: Deadline);
        var first = await NextAsync(watch.ResponseStream);
        Assert.NotNull(first);
        Assert.True(first.Reset);
        Assert.Equal(3, first.OldestAvailableSequence);

        await kit.CreateAsync("new-3");
        var next = await NextMessageAsync(watch.ResponseStream);
        Assert.Equal(3, next.Sequence);
        Assert.False(next.Reset);
    }
}
