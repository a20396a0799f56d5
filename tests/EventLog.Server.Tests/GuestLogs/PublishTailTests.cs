using System.Text;
using EventLog.V1;
using static EventLog.Server.Tests.GuestLogs.GuestLogTestAgent;

namespace EventLog.Server.Tests.GuestLogs;

public sealed class PublishTailTests
{
    [Fact]
    public async Task Publish2MiB_With64KiBLimit_StoresLineAlignedChunksWhoseConcatenationIsTheFile()
    {
        await using var server = await EventLogHost.StartAsync([new("GuestLogs:ChunkLimitBytes", "65536")]);
        var agent = await RegisteredAgentAsync(server);
        var file = MakeLog(2 * 1024 * 1024);

        var uploaded = await agent.UploadAsync("guest", file, pieceSize: 77_777);
        Assert.Equal(file.Length, uploaded.BytesStored);
        Assert.Equal((GuestLogStatus.Published, file.Length, 0L), (uploaded.Log.Status, uploaded.Log.PublishedBytes, uploaded.Log.PendingBytes));
        Assert.Equal(Lines(file).Count, uploaded.Log.LineCount);

        var repository = server.Services.GetRequiredService<Storage.GuestLogs.IGuestLogRepository>();
        var info = await repository.GetLogAsync(agent.InstanceId, "guest").WaitAsync(TestTimeout);
        var chunks = new List<Storage.GuestLogs.GuestLogChunk>();
        for (var after = 0L; ;)
        {
            var batch = await repository.ReadChunksAsync(info!.Id, after, 100).WaitAsync(TestTimeout);
            if (batch.Items.Count == 0)
            {
                break;
            }

            chunks.AddRange(batch.Items);
            after = batch.Items[^1].Seq;
        }

        Assert.True(chunks.Count >= 32);
        Assert.All(chunks, c => Assert.True(c.Content.Length <= 65536 && c.Content[^1] == (byte)'\n'));
        Assert.All(chunks, c => Assert.Equal(c.LineCount, c.Content.Count(b => b == (byte)'\n')));
        Assert.Equal(file, chunks.SelectMany(c => c.Content).ToArray());

        // SaveLog streams the same bytes back.
        var reader = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderA));
        using var cts = new CancellationTokenSource(TestTimeout);
        using var save = reader.SaveLog(new SaveLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }, cancellationToken: cts.Token);
        var saved = new MemoryStream();
        var first = true;
        while (await save.ResponseStream.MoveNext(cts.Token).WaitAsync(TestTimeout))
        {
            Assert.Equal(first, save.ResponseStream.Current.Log is not null);
            Assert.Equal(saved.Length, save.ResponseStream.Current.Offset);
            save.ResponseStream.Current.Data.WriteTo(saved);
            first = false;
        }

        Assert.Equal(file, saved.ToArray());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-1)]
    [InlineData(-40)]
    [InlineData(0)]
    [InlineData(1_000_000)]
    [InlineData(-1_000_000)]
    public async Task Tail_MatchesReferenceFromTheFile(long n)
    {
        await using var server = await EventLogHost.StartAsync([new("GuestLogs:ChunkLimitBytes", "4096")]);
        var agent = await RegisteredAgentAsync(server);
        var file = MakeLog(300 * 1024);
        await agent.UploadAsync("guest", file, pieceSize: 10_000);
        var reference = Lines(file);
        var expected = n switch
        {
            > 0 => reference.TakeLast((int)Math.Min(n, reference.Count)).ToList(),
            < 0 => reference.Skip((int)Math.Min(-n, reference.Count)).ToList(),
            _ => reference,
        };

        var (lines, firstNumber, messages) = await TailAsync(server, agent.InstanceId, "guest", n);
        Assert.Equal(expected, lines);
        if (expected.Count > 0)
        {
            Assert.Equal(reference.Count - expected.Count + 1, firstNumber);
            Assert.Equal(reference.Count, messages[^1].Sequence);
        }

        Assert.DoesNotContain(messages, m => m.Reset);
    }

    [Fact]
    public async Task Tail_NegativeN_StartsPastLineN_AndMinusTheLastSequenceResumesWithNoGapOrDuplicate()
    {
        await using var server = await EventLogHost.StartAsync([new("GuestLogs:ChunkLimitBytes", "1024")]);
        var agent = await RegisteredAgentAsync(server);
        var file = MakeLog(20 * 1024);
        await agent.UploadAsync("guest", file, pieceSize: 3_000);
        var reference = Lines(file);
        Assert.True(reference.Count > 50);

        // "output will start past line n": -1 skips line 1, -(count - 1) leaves the last line, -count nothing.
        var (pastFirst, firstNumber, _) = await TailAsync(server, agent.InstanceId, "guest", -1);
        Assert.Equal(reference.Skip(1), pastFirst);
        Assert.Equal(2, firstNumber);
        Assert.Equal([reference[^1]], (await TailAsync(server, agent.InstanceId, "guest", -(reference.Count - 1))).Lines);
        Assert.Empty((await TailAsync(server, agent.InstanceId, "guest", -reference.Count)).Lines);
        Assert.Empty((await TailAsync(server, agent.InstanceId, "guest", long.MinValue)).Lines);
        Assert.Empty((await TailAsync(server, agent.InstanceId, "guest", long.MinValue + 1)).Lines);

        // A reader that got up to sequence S continues with lines = -S and gets exactly the rest.
        var (head, _, messages) = await TailAsync(server, agent.InstanceId, "guest", -17);
        var partial = messages[0];
        Assert.Equal(18, partial.Lines.FirstLineNumber);
        var (rest, restFirst, _) = await TailAsync(server, agent.InstanceId, "guest", -partial.Sequence);
        Assert.Equal(partial.Sequence + 1, restFirst);
        Assert.Equal(reference.Skip(17), partial.Lines.Lines.Concat(rest));
        Assert.Equal(reference.Skip(17), head);
    }

    [Fact]
    public async Task IncrementalPublish_PartialLineHeldBack_ThenRotationResets()
    {
        await using var server = await EventLogHost.StartAsync();
        var agent = await RegisteredAgentAsync(server);
        var v1 = Encoding.UTF8.GetBytes("one\ntwo\nthr");
        var first = await agent.UploadAsync("guest", v1);
        Assert.Equal((8L, 3L, GuestLogStatus.Partial, 2L), (first.Log.PublishedBytes, first.Log.PendingBytes, first.Log.Status, first.Log.LineCount));

        // The agent continues from published_bytes; a retried overlap is skipped.
        var v2 = Encoding.UTF8.GetBytes("one\ntwo\nthree\nfour\n");
        var second = await agent.UploadAsync("guest", v2, offset: 4);
        Assert.Equal((v2.Length, GuestLogStatus.Published, 4L), (second.Log.PublishedBytes, second.Log.Status, second.Log.LineCount));
        Assert.Equal(["one", "two", "three", "four"], (await TailAsync(server, agent.InstanceId, "guest", 0)).Lines);

        var rotated = Encoding.UTF8.GetBytes("new-a\nnew-b\n");
        var third = await agent.UploadAsync("guest", rotated);
        Assert.True(third.Rotated);
        Assert.Equal((rotated.Length, 2L), (third.Log.PublishedBytes, third.Log.LineCount));
        var (lines, firstNumber, _) = await TailAsync(server, agent.InstanceId, "guest", 0);
        Assert.Equal(["new-a", "new-b"], lines);
        Assert.Equal(1, firstNumber);

        var member = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.MemberA));
        var discarded = await member.DiscardLogAsync(new DiscardLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }).ResponseAsync.WaitAsync(TestTimeout);
        Assert.Equal((0L, GuestLogStatus.Ready), (discarded.Log.PublishedBytes, discarded.Log.Status));
        Assert.Empty((await TailAsync(server, agent.InstanceId, "guest", 0)).Lines);
    }

    [Fact]
    public async Task FollowTail_SeesPublishAfterStart_HeartbeatsAndRotationReset()
    {
        await using var server = await EventLogHost.StartAsync([new("GuestLogs:HeartbeatInterval", "00:00:00.200")]);
        var agent = await RegisteredAgentAsync(server);
        var v1 = Encoding.UTF8.GetBytes("a1\na2\na3\n");
        await agent.UploadAsync("guest", v1);
        var reader = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderA));
        using var cts = new CancellationTokenSource(TestTimeout);
        using var tail = reader.TailLog(new TailLogRequest { InstanceId = agent.InstanceId, LogName = "guest", Lines = 2, Follow = true }, cancellationToken: cts.Token);

        var backlog = await NextLinesAsync(tail.ResponseStream, cts.Token);
        Assert.Equal(["a2", "a3"], backlog.Lines.Lines);
        Assert.Equal(2, backlog.Lines.FirstLineNumber);
        var heartbeat = await tail.ResponseStream.NextAsync(cts.Token);
        Assert.Equal((TailLogResponse.UpdateOneofCase.Heartbeat, 3L), (heartbeat.UpdateCase, heartbeat.Sequence));

        var v2 = Encoding.UTF8.GetBytes("a1\na2\na3\na4\na5\n");
        await agent.UploadAsync("guest", v2, offset: v1.Length);
        var live = await NextLinesAsync(tail.ResponseStream, cts.Token);
        Assert.Equal(["a4", "a5"], live.Lines.Lines);
        Assert.Equal((4L, 5L, false), (live.Lines.FirstLineNumber, live.Sequence, live.Reset));

        await agent.UploadAsync("guest", Encoding.UTF8.GetBytes("b1\n"));
        var reset = await NextLinesAsync(tail.ResponseStream, cts.Token);
        Assert.Equal(["b1"], reset.Lines.Lines);
        Assert.Equal((1L, true, 1L), (reset.Lines.FirstLineNumber, reset.Reset, reset.OldestAvailableSequence));

        await cts.CancelAsync();
        await Assert.ThrowsAsync<RpcException>(() => tail.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task FollowTail_Discard_IsReportedAtOnce_ThenNumberingRestarts()
    {
        // A long heartbeat: the reset must come from the discard itself, not from a heartbeat round.
        await using var server = await EventLogHost.StartAsync([new("GuestLogs:HeartbeatInterval", "00:01:00")]);
        var agent = await RegisteredAgentAsync(server);
        await agent.UploadAsync("guest", Encoding.UTF8.GetBytes("a1\na2\n"));
        var reader = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderA));
        var member = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.MemberA));
        using var cts = new CancellationTokenSource(TestTimeout);
        using var tail = reader.TailLog(new TailLogRequest { InstanceId = agent.InstanceId, LogName = "guest", Lines = 0, Follow = true }, cancellationToken: cts.Token);
        Assert.Equal(["a1", "a2"], (await NextLinesAsync(tail.ResponseStream, cts.Token)).Lines.Lines);

        await member.DiscardLogAsync(new DiscardLogRequest { InstanceId = agent.InstanceId, LogName = "guest" }).ResponseAsync.WaitAsync(TestTimeout);
        var reset = await tail.ResponseStream.NextAsync(cts.Token);
        Assert.Equal((true, 0L, TailLogResponse.UpdateOneofCase.None), (reset.Reset, reset.Sequence, reset.UpdateCase));

        // What is published next starts at line 1 and is not flagged again: the follower already knows.
        await agent.UploadAsync("guest", Encoding.UTF8.GetBytes("b1\n"));
        var next = await NextLinesAsync(tail.ResponseStream, cts.Token);
        Assert.Equal((1L, false, "b1"), (next.Lines.FirstLineNumber, next.Reset, next.Lines.Lines.Single()));
    }

    internal static async Task<GuestLogTestAgent> RegisteredAgentAsync(EventLogHost server)
    {
        var agent = new GuestLogTestAgent(new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.AgentA)), NewInstanceId());
        await agent.RegisterMySqlAsync();
        return agent;
    }

    private static async Task<TailLogResponse> NextLinesAsync(IAsyncStreamReader<TailLogResponse> stream, CancellationToken ct)
    {
        while (true)
        {
            var message = await stream.NextAsync(ct);
            if (message.Lines is not null)
            {
                return message;
            }
        }
    }

    private static async Task<(List<string> Lines, long FirstNumber, List<TailLogResponse> Messages)> TailAsync(EventLogHost server, string instanceId, string logName, long n)
    {
        var reader = new GuestLogsService.GuestLogsServiceClient(server.CreateChannel(TestTokens.ReaderA));
        using var cts = new CancellationTokenSource(TestTimeout);
        using var tail = reader.TailLog(new TailLogRequest { InstanceId = instanceId, LogName = logName, Lines = n }, cancellationToken: cts.Token);
        var messages = new List<TailLogResponse>();
        while (await tail.ResponseStream.MoveNext(cts.Token).WaitAsync(TestTimeout))
        {
            messages.Add(tail.ResponseStream.Current);
        }

        var lines = messages.Where(m => m.Lines is not null).SelectMany(m => m.Lines.Lines).ToList();
        return (lines, messages.FirstOrDefault(m => m.Lines is not null)?.Lines.FirstLineNumber ?? 0, messages);
    }
}
