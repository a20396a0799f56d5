using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Storage.Tests.Contract;

public abstract class GuestLogContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StorageFixture
{
    private IGuestLogRepository Repo => Get<IGuestLogRepository>();

    [SkippableFact]
    public async Task Upsert_ListAndSetStatus()
    {
        var instance = Unique("i");
        await Define(instance, "guest", GuestLogType.Sys);
        var general = await Repo.UpsertLogAsync(new GuestLogDefinition
        {
            InstanceId = instance, LogName = "general", Project = "p", LogType = GuestLogType.User, FileName = "/var/log/mysql/general.log",
            Datastore = "mysql", Exposed = false, RestartRequired = true, InitialStatus = GuestLogStatus.Disabled,
        }).WaitAsync(Timeout);
        Assert.Equal(GuestLogStatus.Disabled, general.Status);
        Assert.False(general.Exposed);
        Assert.True(general.RestartRequired);

        var again = await Repo.UpsertLogAsync(new GuestLogDefinition { InstanceId = instance, LogName = "general", Project = "p", LogType = GuestLogType.User, Exposed = true, InitialStatus = GuestLogStatus.Enabled }).WaitAsync(Timeout);
        Assert.Equal(general.Id, again.Id);
        Assert.Equal(GuestLogStatus.Disabled, again.Status);
        Assert.True(again.Exposed);

        var status = await Repo.SetStatusAsync(instance, "general", GuestLogStatus.RestartRequired, 10).WaitAsync(Timeout);
        Assert.Equal(GuestLogStatus.RestartRequired, status.Status);
        Assert.Equal(["general", "guest"], (await Repo.ListLogsAsync(instance).WaitAsync(Timeout)).Select(l => l.LogName));
        await Assert.ThrowsAsync<NotFoundException>(() => Repo.SetStatusAsync(instance, "nope", GuestLogStatus.Ready)).WaitAsync(Timeout);
    }

    [SkippableFact]
    public async Task PublishedAt_IsTheLastPublish_NotTheLastChange_AndClearedByDiscard()
    {
        var instance = Unique("i");
        await Define(instance, "guest", GuestLogType.Sys);
        Assert.Null((await Repo.GetLogAsync(instance, "guest").WaitAsync(Timeout))!.PublishedAt);

        var published = await Publish(instance, 0, 1000, "h1", Chunk(1, 4));
        Assert.NotNull(published.Log.PublishedAt);
        var stored = (await Repo.GetLogAsync(instance, "guest").WaitAsync(Timeout))!;
        Assert.Equal(published.Log.PublishedAt!.Value, stored.PublishedAt!.Value, TimeSpan.FromMilliseconds(1));

        await Task.Delay(20);
        var changed = await Repo.SetStatusAsync(instance, "guest", GuestLogStatus.Ready, 5).WaitAsync(Timeout);
        var afterChange = (await Repo.GetLogAsync(instance, "guest").WaitAsync(Timeout))!;
        Assert.True(changed.UpdatedAt > stored.PublishedAt.Value);
        Assert.Equal(stored.PublishedAt.Value, afterChange.PublishedAt!.Value, TimeSpan.FromMilliseconds(1));

        await Repo.DiscardAsync(instance, "guest").WaitAsync(Timeout);
        Assert.Null((await Repo.GetLogAsync(instance, "guest").WaitAsync(Timeout))!.PublishedAt);
    }

    [SkippableFact]
    public async Task Publish_Incrementally_ThenTailLastFromAndAll()
    {
        var instance = Unique("i");
        await Define(instance, "guest", GuestLogType.Sys);
        var r1 = await Publish(instance, 0, 1000, "h1", Chunk(1, 4), Chunk(5, 3));
        Assert.Equal(GuestLogStatus.Partial, r1.Log.Status);
        Assert.Equal((1L, 2L), (r1.FirstSequence, r1.LastSequence));
        var r2 = await Publish(instance, r1.Log.PublishedOffset, r1.Log.PublishedOffset + Chunk(8, 5).Content.Length, "h1", Chunk(8, 5));
        Assert.Equal(GuestLogStatus.Published, r2.Log.Status);
        Assert.Equal(0, r2.Log.PendingBytes);
        Assert.Equal(13, r2.Log.NextLine);

        Assert.Equal(Lines(10, 12), await TailText(instance, 3));
        Assert.Equal(Lines(6, 12), await TailText(instance, 7));
        Assert.Equal(Lines(7, 12), await TailText(instance, -7));
        Assert.Equal(Lines(1, 12), await TailText(instance, 0));
        Assert.Equal(Lines(1, 12), await TailText(instance, 500));
        Assert.Empty(await TailText(instance, -13));

        await Assert.ThrowsAsync<PreconditionFailedException>(() => Publish(instance, 3, 5000, "h1", Chunk(13, 1))).WaitAsync(Timeout);
    }

    [SkippableFact]
    public async Task Publish_AfterRotation_RestartsAtLineOne_AndStreamKeepsIncreasing()
    {
        var instance = Unique("i");
        await Define(instance, "slow_query", GuestLogType.User);
        var r1 = await Publish(instance, 0, Chunk(1, 5).Content.Length, "old", Chunk(1, 5));
        var rotated = await Publish(instance, 0, Chunk(1, 2).Content.Length, "new", Chunk(1, 2));
        Assert.True(rotated.Rotated);
        Assert.Equal(1, rotated.Log.Generation);
        Assert.Equal(r1.LastSequence + 1, rotated.FirstSequence);
        Assert.Equal(Lines(1, 2), await TailText(instance, 0));
        var chunks = await Repo.ReadChunksAsync(rotated.Log.Id, 0, 10).WaitAsync(Timeout);
        Assert.Single(chunks.Items);
        Assert.Equal(rotated.FirstSequence, chunks.OldestAvailableSequence);

        var discarded = await Repo.DiscardAsync(instance, "slow_query").WaitAsync(Timeout);
        Assert.Equal(GuestLogStatus.Ready, discarded.Status);
        Assert.Equal(0, discarded.PublishedOffset);
        Assert.Empty((await Repo.ReadChunksAsync(rotated.Log.Id, 0, 10).WaitAsync(Timeout)).Items);
        var tail = await Repo.GetTailAsync(instance, "slow_query", 10).WaitAsync(Timeout);
        Assert.Equal((0L, 0L), (tail.FirstLine, tail.LastLine));
    }

    [SkippableFact]
    public async Task Discard_WakesAFollowerWaitingOnTheLogStream_WithoutAllocatingASequence()
    {
        var instance = Unique("i");
        await Define(instance, "guest", GuestLogType.Sys);
        var published = await Publish(instance, 0, 100, "h", Chunk(1, 3));
        var key = StreamKeys.GuestLog(published.Log.Id);
        var notifier = Get<IChangeNotifier>();
        var tail = await Repo.GetTailAsync(instance, "guest", 0).WaitAsync(Timeout);
        Assert.Equal(new StreamPosition(published.LastSequence, 0), tail.Position);

        // A follower that read its position before the discard learns of it even if it starts waiting later.
        await Repo.DiscardAsync(instance, "guest").WaitAsync(Timeout);
        var moved = await notifier.WaitForChangeAsync(key, tail.Position, TimeSpan.FromSeconds(10)).WaitAsync(Timeout);
        Assert.Equal(new StreamPosition(published.LastSequence, 1), moved);
        Assert.Equal(moved!.Value, await notifier.GetPositionAsync(key).WaitAsync(Timeout));

        // Sequence-only waiters (what TailLog uses) wake for a discard made while they wait, then wait again
        // instead of spinning: the chunk stream stays gap-free.
        var waiting = notifier.WaitForChangeAsync(key, published.LastSequence, TimeSpan.FromSeconds(20));
        await DiscardUntilAsync(instance, "guest", waiting);
        Assert.Equal(published.LastSequence, await waiting.WaitAsync(Timeout));
        Assert.Null(await notifier.WaitForChangeAsync(key, published.LastSequence, TimeSpan.FromMilliseconds(300)).WaitAsync(Timeout));
        var next = await Publish(instance, 0, 100, "h", Chunk(1, 1));
        Assert.Equal(published.LastSequence + 1, next.FirstSequence);
    }

    [SkippableFact]
    public async Task RotationWithNothingPublished_WakesFollowers_InThisAndOtherProcesses()
    {
        var instance = Unique("i");
        await Define(instance, "general", GuestLogType.User);
        var published = await Publish(instance, 0, 100, "h", Chunk(1, 2));
        var key = StreamKeys.GuestLog(published.Log.Id);
        var before = await Get<IChangeNotifier>().GetPositionAsync(key).WaitAsync(Timeout);

        // Another container has its own in-process signals, as another replica: it finds the touch by polling.
        await using var other = Fixture.BuildServices();
        var remote = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IChangeNotifier>(other);
        var remoteWait = remote.WaitForChangeAsync(key, before, TimeSpan.FromSeconds(20));
        var localWait = Get<IChangeNotifier>().WaitForChangeAsync(key, before, TimeSpan.FromSeconds(20));
        var rotated = await Repo.PublishAsync(new GuestLogPublish { InstanceId = instance, LogName = "general", FileOffset = 0, FileSize = 0, Rotated = true }).WaitAsync(Timeout);
        Assert.True(rotated.Rotated);
        Assert.Equal((0L, 0L), (rotated.FirstSequence, rotated.LastSequence));

        var expected = new StreamPosition(published.LastSequence, before.Touches + 1);
        Assert.Equal(expected, await localWait.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(expected, await remoteWait.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Empty((await Repo.ReadChunksAsync(published.Log.Id, 0, 10).WaitAsync(Timeout)).Items);
    }

    // Discards until the waiter wakes: a sequence-only wait takes its touch baseline at its first read,
    // which this cannot observe, so any one discard might land just before it.
    private async Task DiscardUntilAsync(string instance, string logName, Task waiting)
    {
        for (var i = 0; i < 50 && !waiting.IsCompleted; i++)
        {
            await Repo.DiscardAsync(instance, logName).WaitAsync(Timeout);
            await Task.WhenAny(waiting, Task.Delay(100)).WaitAsync(Timeout);
        }

        Assert.True(waiting.IsCompleted, "The waiter never woke for a discard.");
    }

    [SkippableFact]
    public async Task ReapExpiredChunks_DeletesOnlyExpired()
    {
        var instance = Unique("i");
        await Define(instance, "guest", GuestLogType.Sys);
        await Publish(instance, 0, 10_000, "h", Chunk(1, 1), Chunk(2, 1), Chunk(3, 1));
        Assert.Equal(0, await Repo.ReapExpiredChunksAsync(DateTime.UtcNow, 2).WaitAsync(Timeout));
        var later = DateTime.UtcNow.AddDays(31);
        var total = 0;
        int n;
        while ((n = await Repo.ReapExpiredChunksAsync(later, 2).WaitAsync(Timeout)) > 0)
        {
            Assert.True(n <= 2);
            total += n;
        }

        Assert.True(total >= 3);
    }

    [SkippableFact]
    public async Task ReapExpiredChunks_AdjustsTheCounters_ToWhatRemains_AndRecordsWhereTheLogStarts()
    {
        // Its own clock: chunks published now expire 30 days on, those published 10 days later 10 days after them.
        var clock = new TestClock();
        await using var services = Fixture.BuildServices(clock: clock);
        var repo = services.GetRequiredService<IGuestLogRepository>();
        var instance = Unique("i");
        await repo.UpsertLogAsync(new GuestLogDefinition { InstanceId = instance, LogName = "guest", Project = "p" }).WaitAsync(Timeout);
        var old = new[] { Chunk(1, 4), Chunk(5, 3) };
        var young = new[] { Chunk(8, 5), Chunk(13, 1) };
        var oldBytes = old.Sum(c => (long)c.Content.Length);
        var youngBytes = young.Sum(c => (long)c.Content.Length);
        await repo.PublishAsync(Publishing(instance, 0, oldBytes, old)).WaitAsync(Timeout);
        clock.Advance(TimeSpan.FromDays(10));
        var published = await repo.PublishAsync(Publishing(instance, oldBytes, oldBytes + youngBytes, young)).WaitAsync(Timeout);
        Assert.Equal((oldBytes + youngBytes, 13L, 1L, 0L), (published.Log.PublishedBytes, published.Log.LineCount, published.Log.FirstAvailableLine, published.Log.FirstAvailableOffset));

        // 31 days after the first publish, one chunk per round: only the old chunks go.
        var rounds = await ReapAllAsync(repo, clock.GetUtcNow().UtcDateTime.AddDays(21), 1);
        Assert.All(rounds, n => Assert.True(n <= 1));
        Assert.True(rounds.Sum() >= 2);

        var log = (await repo.GetLogAsync(instance, "guest").WaitAsync(Timeout))!;
        var remaining = await AllChunksAsync(repo, log.Id);
        Assert.Equal([8L, 13L], remaining.Select(c => c.FirstLine));
        Assert.Equal(remaining.Sum(c => c.ByteLength), log.PublishedBytes);
        Assert.Equal(remaining.Sum(c => (long)c.LineCount), log.LineCount);
        Assert.Equal((youngBytes, 6L, 8L, oldBytes), (log.PublishedBytes, log.LineCount, log.FirstAvailableLine, log.FirstAvailableOffset));
        // Publishing goes on from the file offset, and line numbers are those the lines always had.
        Assert.Equal((oldBytes + youngBytes, 14L), (log.PublishedOffset, log.NextLine));

        // A tail from a line that expired starts at the first line stored; one from a stored line keeps its meaning.
        var fromExpired = await repo.GetTailAsync(instance, "guest", -3).WaitAsync(Timeout);
        Assert.Equal((8L, 8L, 13L), (fromExpired.FirstAvailableLine, fromExpired.FirstLine, fromExpired.LastLine));
        Assert.Equal(Lines(8, 13), await TailText(repo, instance, -3));
        Assert.Equal(Lines(10, 13), await TailText(repo, instance, -10));
        Assert.Equal(Lines(8, 13), await TailText(repo, instance, 0));
        Assert.Equal(Lines(8, 13), await TailText(repo, instance, 100));
        Assert.Equal(8, (await repo.GetTailAsync(instance, "guest", 2).WaitAsync(Timeout)).FirstAvailableLine);

        var more = Chunk(14, 2);
        var next = await repo.PublishAsync(Publishing(instance, oldBytes + youngBytes, oldBytes + youngBytes + more.Content.Length, more)).WaitAsync(Timeout);
        Assert.Equal((youngBytes + more.Content.Length, 8L, 8L, oldBytes), (next.Log.PublishedBytes, next.Log.LineCount, next.Log.FirstAvailableLine, next.Log.FirstAvailableOffset));
        Assert.Equal(Lines(14, 15), await TailText(repo, instance, -14));

        // Everything expired: nothing is stored, and the log starts where its next line will.
        await ReapAllAsync(repo, clock.GetUtcNow().UtcDateTime.AddDays(100), 3);
        var empty = (await repo.GetLogAsync(instance, "guest").WaitAsync(Timeout))!;
        Assert.Empty(await AllChunksAsync(repo, empty.Id));
        Assert.Equal((0L, 0L, 16L, empty.PublishedOffset), (empty.PublishedBytes, empty.LineCount, empty.FirstAvailableLine, empty.FirstAvailableOffset));
        var tail = await repo.GetTailAsync(instance, "guest", 0).WaitAsync(Timeout);
        Assert.Equal((16L, 0L, 0L), (tail.FirstAvailableLine, tail.FirstLine, tail.LastLine));

        var discarded = await repo.DiscardAsync(instance, "guest").WaitAsync(Timeout);
        Assert.Equal((1L, 0L, 0L), (discarded.FirstAvailableLine, discarded.FirstAvailableOffset, discarded.LineCount));
        Assert.Equal(1, (await repo.GetLogAsync(instance, "guest").WaitAsync(Timeout))!.FirstAvailableLine);
    }

    [SkippableFact]
    public async Task ReapExpiredChunks_ManyLogsInOneRound_KeepEveryLogsCountersEqualToWhatRemains_AfterEachRound()
    {
        var clock = new TestClock();
        await using var services = Fixture.BuildServices(clock: clock);
        var repo = services.GetRequiredService<IGuestLogRepository>();
        var instance = Unique("i");
        var names = new[] { "a", "b", "c", "d" };
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            await repo.UpsertLogAsync(new GuestLogDefinition { InstanceId = instance, LogName = name, Project = "p" }).WaitAsync(Timeout);
            var chunks = Enumerable.Range(0, 2 + i).Select(k => Chunk(1 + (3 * k), 3)).ToArray();
            await repo.PublishAsync(Publishing(instance, 0, chunks.Sum(c => (long)c.Content.Length), chunks) with { LogName = name }).WaitAsync(Timeout);
        }

        // 14 chunks in 4 logs, 5 a round: rounds end inside a log, and a round spans several.
        var now = clock.GetUtcNow().UtcDateTime.AddDays(31);
        int deleted;
        var rounds = 0;
        do
        {
            deleted = await repo.ReapExpiredChunksAsync(now, 5).WaitAsync(Timeout);
            Assert.InRange(deleted, 0, 5);
            rounds++;
            foreach (var name in names)
            {
                var log = (await repo.GetLogAsync(instance, name).WaitAsync(Timeout))!;
                var remaining = await AllChunksAsync(repo, log.Id);
                Assert.Equal(remaining.Sum(c => c.ByteLength), log.PublishedBytes);
                Assert.Equal(remaining.Sum(c => (long)c.LineCount), log.LineCount);
                Assert.Equal(remaining.FirstOrDefault()?.FirstLine ?? log.NextLine, log.FirstAvailableLine);
                Assert.Equal(log.PublishedOffset - log.PublishedBytes, log.FirstAvailableOffset);
                // No hole: what remains is one run of lines up to the last one published.
                Assert.Equal(remaining.Sum(c => (long)c.LineCount), remaining.Count == 0 ? 0 : log.NextLine - remaining[0].FirstLine);
            }
        }
        while (deleted > 0);

        Assert.True(rounds >= 4);
    }

    [SkippableFact]
    public async Task ReapExpiredChunks_AnExpiredChunk_TakesTheOlderChunksOfItsLogWithIt()
    {
        // The expiry was shortened between two publishes: the newer chunk expires first. The log still expires
        // from its start, so no hole opens and the counters keep describing one run of lines.
        var clock = new TestClock();
        await using var longLived = Fixture.BuildServices(clock: clock);
        await using var shortLived = Fixture.BuildServices(o => o.Retention.GuestLogChunkExpiry = TimeSpan.FromDays(1), clock);
        var instance = Unique("i");
        var repo = longLived.GetRequiredService<IGuestLogRepository>();
        await repo.UpsertLogAsync(new GuestLogDefinition { InstanceId = instance, LogName = "guest", Project = "p" }).WaitAsync(Timeout);
        var first = Chunk(1, 2);
        var second = Chunk(3, 2);
        var third = Chunk(5, 1);
        await repo.PublishAsync(Publishing(instance, 0, first.Content.Length, first)).WaitAsync(Timeout);
        await shortLived.GetRequiredService<IGuestLogRepository>().PublishAsync(Publishing(instance, first.Content.Length, first.Content.Length + second.Content.Length, second)).WaitAsync(Timeout);
        var offset = first.Content.Length + second.Content.Length;
        await repo.PublishAsync(Publishing(instance, offset, offset + third.Content.Length, third)).WaitAsync(Timeout);

        await ReapAllAsync(repo, clock.GetUtcNow().UtcDateTime.AddDays(2), 10);

        var log = (await repo.GetLogAsync(instance, "guest").WaitAsync(Timeout))!;
        Assert.Equal([5L], (await AllChunksAsync(repo, log.Id)).Select(c => c.FirstLine));
        Assert.Equal((third.Content.Length, 1L, 5L, offset), (log.PublishedBytes, log.LineCount, log.FirstAvailableLine, log.FirstAvailableOffset));
    }

    private static GuestLogPublish Publishing(string instance, long offset, long size, params NewGuestLogChunk[] chunks) => new()
    {
        InstanceId = instance, LogName = "guest", FileOffset = offset, FileSize = size, FirstLineHash = "h", Chunks = chunks,
    };

    private static async Task<List<int>> ReapAllAsync(IGuestLogRepository repo, DateTime now, int batchSize)
    {
        var rounds = new List<int>();
        int n;
        while ((n = await repo.ReapExpiredChunksAsync(now, batchSize).WaitAsync(Timeout)) > 0)
        {
            rounds.Add(n);
        }

        return rounds;
    }

    private static async Task<List<GuestLogChunk>> AllChunksAsync(IGuestLogRepository repo, long logId)
    {
        var chunks = new List<GuestLogChunk>();
        var after = 0L;
        while (true)
        {
            var batch = await repo.ReadChunksAsync(logId, after, 100).WaitAsync(Timeout);
            if (batch.Items.Count == 0)
            {
                return chunks;
            }

            chunks.AddRange(batch.Items);
            after = batch.Items[^1].Seq;
        }
    }

    private Task<GuestLogInfo> Define(string instance, string name, GuestLogType type) =>
        Repo.UpsertLogAsync(new GuestLogDefinition { InstanceId = instance, LogName = name, Project = "p", LogType = type, FileName = "/var/log/" + name, Datastore = "mysql" }).WaitAsync(Timeout);

    private async Task<GuestLogPublishResult> Publish(string instance, long offset, long size, string hash, params NewGuestLogChunk[] chunks) =>
        await Repo.PublishAsync(new GuestLogPublish
        {
            InstanceId = instance, LogName = await GuessName(instance), FileOffset = offset, FileSize = size, FirstLineHash = hash, Chunks = chunks,
        }).WaitAsync(Timeout);

    private async Task<string> GuessName(string instance) => (await Repo.ListLogsAsync(instance).WaitAsync(Timeout))[0].LogName;

    private Task<List<string>> TailText(string instance, long n) => TailText(Repo, instance, n);

    private static async Task<List<string>> TailText(IGuestLogRepository repo, string instance, long n)
    {
        var name = (await repo.ListLogsAsync(instance).WaitAsync(Timeout))[0].LogName;
        var tail = await repo.GetTailAsync(instance, name, n).WaitAsync(Timeout);
        var lines = new List<string>();
        var skip = tail.SkipLines;
        var after = tail.StartAfterSequence;
        while (true)
        {
            var batch = await repo.ReadChunksAsync(tail.LogId, after, 2).WaitAsync(Timeout);
            if (batch.Items.Count == 0)
            {
                return lines;
            }

            foreach (var chunk in batch.Items)
            {
                lines.AddRange(Encoding.UTF8.GetString(chunk.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(skip));
                skip = 0;
                after = chunk.Seq;
            }
        }
    }

    private static NewGuestLogChunk Chunk(int firstLine, int count) =>
        new(Encoding.UTF8.GetBytes(string.Concat(Lines(firstLine, firstLine + count - 1).Select(l => l + "\n"))), count);

    private static List<string> Lines(int from, int to) => Enumerable.Range(from, to - from + 1).Select(i => $"line {i}").ToList();
}

public sealed class SqliteGuestLogTests(SqliteFixture fixture) : GuestLogContractTests<SqliteFixture>(fixture);

public sealed class SqlServerGuestLogTests(SqlServerFixture fixture) : GuestLogContractTests<SqlServerFixture>(fixture);

public sealed class PostgreSqlGuestLogTests(PostgreSqlFixture fixture) : GuestLogContractTests<PostgreSqlFixture>(fixture);
