using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EventLog.Storage.Tests.Internal;

public sealed class RetentionServiceTests
{
    [Fact]
    public async Task AnInterval_DeletesAtMostTheBatchSize_WhateverTheBacklog()
    {
        var reaper = new BacklogReaper(backlog: 25_000);
        var options = new StorageOptions { Retention = { ReapBatchSize = 1000 } };
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var reaped = new MetricCollector<long>(meters, StorageMetrics.MeterName, "eventlog.storage.rows_reaped");
        var metrics = new StorageMetrics(meters, Options.Create(options));
        var service = new RetentionService([reaper], Options.Create(options), TimeProvider.System, metrics, NullLogger<RetentionService>.Instance);

        var deleted = await service.RunReaperAsync(reaper, options.Retention, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1000, deleted);
        Assert.Equal(24_000, reaper.Backlog);
        Assert.Equal(1, reaper.Rounds);
        // Counted where it is deleted, not read back from a log line.
        var measurement = Assert.Single(reaped.GetMeasurementSnapshot());
        Assert.Equal(1000, measurement.Value);
        Assert.Equal("backlog", measurement.Tags["eventlog.storage.reaper"]);
        Assert.Equal("sqlite", measurement.Tags["db.system.name"]);
    }

    /// <summary>A table of expired rows, deleted a batch at a time as a reaper's statement does.</summary>
    private sealed class BacklogReaper(int backlog) : IReaper
    {
        public int Backlog { get; private set; } = backlog;

        public int Rounds { get; private set; }

        public string Name => "backlog";

        public bool Enabled => true;

        public Task<int> ReapRoundAsync(DateTime now, int batchSize, CancellationToken ct)
        {
            Rounds++;
            var deleted = Math.Min(batchSize, Backlog);
            Backlog -= deleted;
            return Task.FromResult(deleted);
        }
    }
}
