using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace EventLog.Storage.Tests.Contract;

/// <summary>
/// Readers never skip a row that commits late: a writer holds its transaction open after taking its place
/// in a stream while a later writer tries to commit. A cursor reader must not move past the open one. On
/// SQLite writers are serialised (one writer connection per process, BEGIN IMMEDIATE across processes), so
/// the later writer waits; on SQL Server it waits on the stream's row lock.
/// </summary>
public abstract class LateCommitContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StorageFixture
{
    private const string InsertMessage = """
        INSERT INTO messages (id, project, seq, action_code, detail_code, level, created_at)
        VALUES (@id, @project, @seq, 'A', 'D', 3, @createdAt)
        """;

    [SkippableFact]
    public async Task ReadStream_WriterHoldsAnAllocatedSequence_LaterWriterWaits_ReaderDoesNotPassIt()
    {
        var project = Unique("p");
        var key = StreamKeys.Messages(project);
        var repo = Get<IMessageRepository>();
        await using var other = Fixture.BuildServices();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = HoldWriteAsync(async w =>
        {
            var seq = await w.AllocateAsync(key);
            await w.ExecuteAsync(InsertMessage, new { id = Guid.NewGuid(), project, seq, createdAt = DateTime.UtcNow });
            return seq;
        }, held, release);
        try
        {
            Assert.Equal(1, await held.Task.WaitAsync(Timeout));
            // Task.Run: Microsoft.Data.Sqlite's async calls run synchronously, so a writer waiting for the
            // file lock would block this thread (and the release) for the whole busy timeout.
            var late = Task.Run(() => other.GetRequiredService<IMessageRepository>().CreateAsync(new NewUserMessage { Project = project, ActionCode = "A", DetailCode = "D" }));
            await ObserveWhileOpenAsync(late, async () =>
            {
                Assert.Empty((await repo.ReadStreamAsync(project, 0, 10).WaitAsync(Timeout)).Items);
                Assert.Equal(0, await Get<IChangeNotifier>().GetLastSequenceAsync(key).WaitAsync(Timeout));
            });

            release.SetResult();
            Assert.Equal(1, await slow.WaitAsync(Timeout));
            Assert.Equal(2, (await late.WaitAsync(Timeout)).Seq);
            Assert.Equal([1L, 2L], (await repo.ReadStreamAsync(project, 0, 10).WaitAsync(Timeout)).Items.Select(m => m.Seq));
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [SkippableFact]
    public async Task ReadRequestsAfter_EntryCommittingLate_IsNotSkippedByTheIdCursor()
    {
        var project = Unique("p");
        var repo = Get<ITaskLogRepository>();
        await using var other = Fixture.BuildServices();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = HoldWriteAsync(async w => (await TaskLogRepository.InsertRequestAsync(w, new RequestLogEntry
        {
            Project = project, OccurredAt = DateTime.UtcNow, Kind = "POST", App = "a", MessageCode = "M",
        })).Id, held, release);
        try
        {
            var slowId = await held.Task.WaitAsync(Timeout);
            var late = Task.Run(() => other.GetRequiredService<ITaskLogRepository>().RecordRequestAsync(new NewRequestLogEntry { Project = project, Kind = "GET", App = "a", MessageCode = "M" }));
            var filter = new RequestLogFilter { Project = project };
            await ObserveWhileOpenAsync(late, async () =>
            {
                // Before the fix SQL Server committed the later entry with a higher id: export resumed past slowId.
                Assert.Empty(await repo.ReadRequestsAfterAsync(filter, 0, 10).WaitAsync(Timeout));
                Assert.Empty((await repo.ListRequestsAsync(filter with { OldestFirst = true }, 10, null).WaitAsync(Timeout)).Items);
            });

            release.SetResult();
            Assert.Equal(slowId, await slow.WaitAsync(Timeout));
            var lateId = (await late.WaitAsync(Timeout)).Id;
            Assert.True(lateId > slowId);
            Assert.Equal([slowId, lateId], (await repo.ReadRequestsAfterAsync(filter, 0, 10).WaitAsync(Timeout)).Select(e => e.Id));
            Assert.Equal([lateId], (await repo.ReadRequestsAfterAsync(filter, slowId, 10).WaitAsync(Timeout)).Select(e => e.Id));
            var first = await repo.ListRequestsAsync(filter with { OldestFirst = true }, 1, null).WaitAsync(Timeout);
            var second = await repo.ListRequestsAsync(filter with { OldestFirst = true }, 1, first.NextPageToken).WaitAsync(Timeout);
            Assert.Equal([slowId, lateId], first.Items.Concat(second.Items).Select(e => e.Id));
        }
        finally
        {
            release.TrySetResult();
        }
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction that stays open until <paramref name="release"/>.</summary>
    private Task<long> HoldWriteAsync(Func<WriteContext, Task<long>> work, TaskCompletionSource<long> held, TaskCompletionSource release) =>
        Fixture.Services.GetRequiredService<StorageDatabase>().WriteAsync(async w =>
        {
            var result = await work(w);
            held.SetResult(result);
            await release.Task.WaitAsync(Timeout);
            return result;
        }, CancellationToken.None);

    /// <summary>Reads repeatedly for a while, asserting the later writer has not committed meanwhile.</summary>
    private static async Task ObserveWhileOpenAsync(Task lateWriter, Func<Task> read)
    {
        for (var i = 0; i < 8; i++)
        {
            await read();
            await Task.WhenAny(lateWriter, Task.Delay(50)).WaitAsync(Timeout);
            Assert.False(lateWriter.IsCompleted, "The later writer committed while the earlier one still held its sequence: " + lateWriter.Exception?.GetBaseException().Message);
        }

        await read();
    }
}

public sealed class SqliteLateCommitTests(SqliteFixture fixture) : LateCommitContractTests<SqliteFixture>(fixture);

public sealed class SqlServerLateCommitTests(SqlServerFixture fixture) : LateCommitContractTests<SqlServerFixture>(fixture);

public sealed class PostgreSqlLateCommitTests(PostgreSqlFixture fixture) : LateCommitContractTests<PostgreSqlFixture>(fixture);
