using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace EventLog.Storage.Tests.Sqlite;

/// <summary>
/// The SQLite writer commits writes that queued up together. Each must still succeed or fail on its own,
/// and a write cancelled while it waits must store nothing.
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly SqliteFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task QueuedWrites_OneFails_OnlyItsChangesAreRolledBack()
    {
        var database = _fixture.Services.GetRequiredService<StorageDatabase>();
        var notifier = _fixture.Services.GetRequiredService<IChangeNotifier>();
        var (holder, gate) = await HoldWriterAsync(database, "group:holder");

        var writes = Enumerable.Range(0, 40).Select(i => database.WriteAsync(async w =>
        {
            var seq = await w.AllocateAsync($"group:{i}");
            if (i % 5 == 0)
            {
                throw new InvalidOperationException($"write {i} fails after writing");
            }

            return seq;
        }, CancellationToken.None)).ToList();
        gate.SetResult();
        await holder.WaitAsync(Timeout);

        for (var i = 0; i < writes.Count; i++)
        {
            if (i % 5 == 0)
            {
                var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => writes[i].WaitAsync(Timeout));
                Assert.Equal($"write {i} fails after writing", ex.Message);
                Assert.Equal(0, await notifier.GetLastSequenceAsync($"group:{i}"));
            }
            else
            {
                Assert.Equal(1, await writes[i].WaitAsync(Timeout));
                Assert.Equal(1, await notifier.GetLastSequenceAsync($"group:{i}"));
            }
        }
    }

    [Fact]
    public async Task WritesQueuedBehindATransaction_AreCountedAsOneCommitOfThemAll()
    {
        var database = _fixture.Services.GetRequiredService<StorageDatabase>();
        var meters = _fixture.Services.GetRequiredService<IMeterFactory>();
        using var sizes = new MetricCollector<int>(meters, StorageMetrics.MeterName, "eventlog.storage.commit.writes");
        using var depth = new MetricCollector<long>(meters, StorageMetrics.MeterName, "eventlog.storage.writer.queue_depth");
        var (holder, gate) = await HoldWriterAsync(database, "measured:holder");

        var writes = Enumerable.Range(0, 10).Select(i => database.WriteAsync(w => w.AllocateAsync($"measured:{i}"), CancellationToken.None)).ToList();
        depth.RecordObservableInstruments();
        Assert.Equal(11, depth.LastMeasurement!.Value);
        gate.SetResult();
        await holder.WaitAsync(Timeout);
        await Task.WhenAll(writes).WaitAsync(Timeout);

        Assert.Equal([1, 10], sizes.GetMeasurementSnapshot().Select(m => m.Value));
        depth.RecordObservableInstruments();
        Assert.Equal(0, depth.LastMeasurement!.Value);
    }

    [Fact]
    public async Task WriteCancelledWhileQueued_IsCancelled_AndStoresNothing()
    {
        var database = _fixture.Services.GetRequiredService<StorageDatabase>();
        var notifier = _fixture.Services.GetRequiredService<IChangeNotifier>();
        var (holder, gate) = await HoldWriterAsync(database, "cancel:holder");

        using var cts = new CancellationTokenSource();
        var queued = database.WriteAsync(w => w.AllocateAsync("cancel:queued"), cts.Token);
        await cts.CancelAsync();

        // It is cancelled at once, without waiting for the writer to get to it.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WaitAsync(Timeout));
        gate.SetResult();
        await holder.WaitAsync(Timeout);
        await database.WriteAsync(w => w.AllocateAsync("cancel:after"), CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(0, await notifier.GetLastSequenceAsync("cancel:queued"));
    }

    /// <summary>
    /// Starts a write that holds the writer until the returned gate is opened, so the writes made meanwhile queue up
    /// and run as one group after it; returns once the holder runs.
    /// </summary>
    private static async Task<(Task<long> Holder, TaskCompletionSource Gate)> HoldWriterAsync(StorageDatabase database, string streamKey)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = database.WriteAsync(async w =>
        {
            running.SetResult();
            await gate.Task;
            return await w.AllocateAsync(streamKey);
        }, CancellationToken.None);
        await running.Task.WaitAsync(Timeout);
        return (holder, gate);
    }
}
