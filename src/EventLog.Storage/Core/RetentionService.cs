using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventLog.Storage.Core;

/// <summary>
/// Runs every enabled reaper each <see cref="RetentionOptions.ReapInterval"/>, one round each: a reaper deletes at
/// most <see cref="RetentionOptions.ReapBatchSize"/> rows per interval, as Cinder's message_reap_batch_size does.
/// A huge backlog is worked off over many intervals, so retention never competes with the writers for long and
/// no statement holds locks on a large range.
/// </summary>
internal sealed partial class RetentionService(IEnumerable<IReaper> reapers, IOptions<StorageOptions> options, TimeProvider clock, StorageMetrics metrics, ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Value.Retention;
        if (!retention.Enabled)
        {
            return;
        }

        var active = reapers.Where(r => r.Enabled).ToList();
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var reaper in active)
            {
                await RunReaperAsync(reaper, retention, stoppingToken);
            }

            await Task.Delay(retention.ReapInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    internal async Task<int> RunReaperAsync(IReaper reaper, RetentionOptions retention, CancellationToken ct)
    {
        var total = 0;
        try
        {
            total = await reaper.ReapRoundAsync(clock.GetUtcNow().UtcDateTime, retention.ReapBatchSize, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogReapFailed(logger, ex, reaper.Name);
        }

        if (total > 0)
        {
            metrics.RowsReaped(reaper.Name, total);
            LogReaped(logger, total, reaper.Name);
        }

        return total;
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Retention deleted {Count} rows ({Reaper})")]
    private static partial void LogReaped(ILogger logger, int count, string reaper);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Retention round failed ({Reaper}); retrying next interval")]
    private static partial void LogReapFailed(ILogger logger, Exception exception, string reaper);
}
