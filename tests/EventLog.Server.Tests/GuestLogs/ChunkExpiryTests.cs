using System.Text;
using EventLog.V1;
using Google.Protobuf;
using static EventLog.Server.Tests.GuestLogs.GuestLogTestAgent;

namespace EventLog.Server.Tests.GuestLogs;

/// <summary>
/// Retention deletes a log's oldest chunks: the counters then describe what is still stored, line numbers stay
/// what they were, and the first message of every tail and save says where the readable log starts.
/// </summary>
public sealed class ChunkExpiryTests
{
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // Published at Start (expires 30 days on) and 20 days later; reaped 31 days after Start: the old part goes.
    private static readonly byte[] Old = Encoding.UTF8.GetBytes("a1\na2\na3\na4\n");
    private static readonly byte[] Young = Encoding.UTF8.GetBytes("b5\nb6\nb7\nb8\n");
    private static readonly byte[] Both = [.. Old, .. Young];

    [Fact]
    public async Task AfterTheStartExpired_LogCountsWhatIsStored_AndEveryTailModeSaysWhereItStarts()
    {
        var clock = new ManualClock(Start);
        await using var server = await StartAsync(clock);
        var agent = await PublishAndExpireAsync(server, clock);
        var reader = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderA));

        // GetLog and ListLogs count what can be read and say where it starts; publishing goes on from the file offset.
        var log = (await reader.GetLogAsync(new GetLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }).ResponseAsync.WaitAsync(TestTimeout)).Log;
        Assert.Equal((Young.Length, 4L, 5L, Old.Length, Both.Length), (log.PublishedBytes, log.LineCount, log.FirstAvailableLine, log.FirstAvailableOffset, log.PublishedOffset));
        var listed = (await reader.ListLogsAsync(new ListLogsRequest { InstanceId = agent.InstanceId }).ResponseAsync.WaitAsync(TestTimeout)).Logs.Single(l => l.Name == "guest");
        Assert.Equal((Young.Length, 4L, 5L, Old.Length), (listed.PublishedBytes, listed.LineCount, listed.FirstAvailableLine, listed.FirstAvailableOffset));

        // The last N lines: the first message says where the log starts; nothing was asked for that expired.
        var last2 = await TailAsync(reader, agent.InstanceId, 2);
        Assert.Equal((5L, false, 7L), (last2[0].FirstAvailableLine, last2[0].Reset, last2[0].Lines.FirstLineNumber));
        Assert.Equal(["b7", "b8"], LinesOf(last2));
        var last100 = await TailAsync(reader, agent.InstanceId, 100);
        Assert.Equal((5L, 5L), (last100[0].FirstAvailableLine, last100[0].Lines.FirstLineNumber));
        Assert.Equal(["b5", "b6", "b7", "b8"], LinesOf(last100));

        // All, or the lines past a line that expired: they start at the first stored line, and say so.
        foreach (var n in new[] { 0L, -2L })
        {
            var messages = await TailAsync(reader, agent.InstanceId, n);
            Assert.Equal((5L, true, 5L, 5L), (messages[0].FirstAvailableLine, messages[0].Reset, messages[0].OldestAvailableSequence, messages[0].Lines.FirstLineNumber));
            Assert.Equal(["b5", "b6", "b7", "b8"], LinesOf(messages));
        }

        // The lines past a stored line keep their numbers: -6 is still "from line 7".
        var past6 = await TailAsync(reader, agent.InstanceId, -6);
        Assert.Equal((5L, false, 7L), (past6[0].FirstAvailableLine, past6[0].Reset, past6[0].Lines.FirstLineNumber));
        Assert.Equal(["b7", "b8"], LinesOf(past6));

        // Nothing to send: a single message says only where the log starts.
        var beyond = await TailAsync(reader, agent.InstanceId, -100);
        Assert.Equal((TailLogResponse.UpdateOneofCase.None, 5L, 0L), (beyond.Single().UpdateCase, beyond.Single().FirstAvailableLine, beyond.Single().Sequence));

        // Only the first message carries it.
        Assert.All(last100.Skip(1).Concat(past6.Skip(1)), m => Assert.Equal(0, m.FirstAvailableLine));

        // The agent continues from published_offset, and the new lines are numbered after the expired ones.
        var more = Encoding.UTF8.GetBytes("c9\n");
        var uploaded = await agent.UploadAsync("guest", [.. Both, .. more], offset: log.PublishedOffset);
        Assert.Equal((Young.Length + more.Length, 5L, 5L, Both.Length + more.Length), (uploaded.Log.PublishedBytes, uploaded.Log.LineCount, uploaded.Log.FirstAvailableLine, uploaded.Log.PublishedOffset));
        Assert.Equal(9, (await TailAsync(reader, agent.InstanceId, 1))[0].Lines.FirstLineNumber);
    }

    [Fact]
    public async Task AfterTheStartExpired_FollowAndSave_FirstMessageSaysWhereTheLogStarts()
    {
        var clock = new ManualClock(Start);
        await using var server = await StartAsync(clock);
        var agent = await PublishAndExpireAsync(server, clock);
        var reader = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderA));
        using var cts = new CancellationTokenSource(TestTimeout);

        using (var follow = reader.TailLog(new TailLogRequest { InstanceId = agent.InstanceId, LogName = "guest", Lines = 0, Follow = true }, cancellationToken: cts.Token))
        {
            var first = await follow.ResponseStream.NextAsync(cts.Token);
            Assert.Equal((5L, true, 5L), (first.FirstAvailableLine, first.Reset, first.Lines.FirstLineNumber));
            await agent.UploadAsync("guest", [.. Both, .. "c9\n"u8.ToArray()], offset: Both.Length);
            var live = await follow.ResponseStream.NextAsync(cts.Token);
            Assert.Equal((0L, false, 9L), (live.FirstAvailableLine, live.Reset, live.Lines.FirstLineNumber));
        }

        // SaveLog streams the stored bytes at their file offsets; its first message says where they start.
        using var save = reader.SaveLog(new SaveLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }, cancellationToken: cts.Token);
        var messages = new List<SaveLogResponse>();
        while (await save.ResponseStream.MoveNext(cts.Token).WaitAsync(TestTimeout))
        {
            messages.Add(save.ResponseStream.Current);
        }

        var head = messages[0];
        Assert.Equal((5L, (long)Old.Length, (long)Old.Length, 5L), (head.Log.FirstAvailableLine, head.Log.FirstAvailableOffset, head.Offset, head.Log.LineCount));
        Assert.All(messages.Skip(1), m => Assert.Null(m.Log));
        var offset = (long)Old.Length;
        foreach (var m in messages)
        {
            Assert.Equal(offset, m.Offset);
            offset += m.Data.Length;
        }

        Assert.Equal("b5\nb6\nb7\nb8\nc9\n", string.Concat(messages.Select(m => m.Data.ToStringUtf8())));
    }

    [Fact]
    public async Task EverythingExpired_TailAndFollowStartWithWhereTheNextLineGoes_SaveIsEmptyAtTheOffset()
    {
        var clock = new ManualClock(Start);
        await using var server = await StartAsync(clock);
        var agent = await RegisteredAgentAsync(server);
        await agent.UploadAsync("guest", Old);
        var repository = server.Services.GetRequiredService<Storage.GuestLogs.IGuestLogRepository>();
        await ReapAsync(repository, clock.UtcNow.AddDays(31));
        var reader = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderA));
        var log = (await reader.GetLogAsync(new GetLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }).ResponseAsync.WaitAsync(TestTimeout)).Log;
        Assert.Equal((0L, 0L, 5L, Old.Length, Old.Length), (log.PublishedBytes, log.LineCount, log.FirstAvailableLine, log.FirstAvailableOffset, log.PublishedOffset));

        var tail = await TailAsync(reader, agent.InstanceId, 0);
        Assert.Equal((TailLogResponse.UpdateOneofCase.None, 5L), (tail.Single().UpdateCase, tail.Single().FirstAvailableLine));

        using var cts = new CancellationTokenSource(TestTimeout);
        using (var follow = reader.TailLog(new TailLogRequest { InstanceId = agent.InstanceId, LogName = "guest", Lines = 10, Follow = true }, cancellationToken: cts.Token))
        {
            // Sent at once, not at the first heartbeat or publish.
            var first = await follow.ResponseStream.NextAsync(cts.Token);
            Assert.Equal((TailLogResponse.UpdateOneofCase.None, 5L, false), (first.UpdateCase, first.FirstAvailableLine, first.Reset));
            await agent.UploadAsync("guest", Both, offset: Old.Length);
            var live = await follow.ResponseStream.NextAsync(cts.Token);
            Assert.Equal((5L, 0L, false), (live.Lines.FirstLineNumber, live.FirstAvailableLine, live.Reset));
        }

        await ReapAsync(repository, clock.UtcNow.AddDays(31));
        using var save = reader.SaveLog(new SaveLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }, cancellationToken: cts.Token);
        var only = await save.ResponseStream.NextAsync(cts.Token);
        Assert.Equal((9L, (long)Both.Length, (long)Both.Length, ByteString.Empty), (only.Log.FirstAvailableLine, only.Log.FirstAvailableOffset, only.Offset, only.Data));
        Assert.False(await save.ResponseStream.MoveNext(cts.Token).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task NothingExpired_FirstMessageSaysTheLogStartsAtLineOne()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = await RegisteredAgentAsync(server);
        var reader = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderA));
        Assert.Equal(1, (await TailAsync(reader, agent.InstanceId, 0)).Single().FirstAvailableLine);

        await agent.UploadAsync("guest", Both);
        var tail = await TailAsync(reader, agent.InstanceId, 0);
        Assert.Equal((1L, false, 1L), (tail[0].FirstAvailableLine, tail[0].Reset, tail[0].Lines.FirstLineNumber));
        var log = (await reader.GetLogAsync(new GetLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }).ResponseAsync.WaitAsync(TestTimeout)).Log;
        Assert.Equal((Both.Length, 8L, 1L, 0L, Both.Length), (log.PublishedBytes, log.LineCount, log.FirstAvailableLine, log.FirstAvailableOffset, log.PublishedOffset));
    }

    private static Task<EventLogHost> StartAsync(ManualClock clock) =>
        // The test reaps when it chooses; the background reaper stays out of it.
        EventLogHost.StartAsync([new("Storage:Retention:Enabled", "false")], clock.ReplaceIn);

    private static async Task<GuestLogTestAgent> PublishAndExpireAsync(EventLogHost server, ManualClock clock)
    {
        var agent = await RegisteredAgentAsync(server);
        await agent.UploadAsync("guest", Old);
        clock.UtcNow = Start.AddDays(20);
        await agent.UploadAsync("guest", Both, offset: Old.Length);
        clock.UtcNow = Start.AddDays(31);
        await ReapAsync(server.Services.GetRequiredService<Storage.GuestLogs.IGuestLogRepository>(), clock.UtcNow);
        return agent;
    }

    private static async Task ReapAsync(Storage.GuestLogs.IGuestLogRepository repository, DateTimeOffset now)
    {
        while (await repository.ReapExpiredChunksAsync(now.UtcDateTime, 100).WaitAsync(TestTimeout) > 0)
        {
        }
    }

    private static Task<GuestLogTestAgent> RegisteredAgentAsync(EventLogHost server) => PublishTailTests.RegisteredAgentAsync(server);

    private static async Task<List<TailLogResponse>> TailAsync(GuestLogsService.GuestLogsServiceClient reader, string instanceId, long n)
    {
        using var cts = new CancellationTokenSource(TestTimeout);
        using var tail = reader.TailLog(new TailLogRequest { InstanceId = instanceId, LogName = "guest", Lines = n }, cancellationToken: cts.Token);
        var messages = new List<TailLogResponse>();
        while (await tail.ResponseStream.MoveNext(cts.Token).WaitAsync(TestTimeout))
        {
            messages.Add(tail.ResponseStream.Current);
        }

        return messages;
    }

    private static List<string> LinesOf(IEnumerable<TailLogResponse> messages) =>
        [.. messages.Where(m => m.Lines is not null).SelectMany(m => m.Lines.Lines)];
}
