using Microsoft.Extensions.Logging.Abstractions;

namespace EventLog.Server.Observability;

/// <summary>
/// Counts the rows the storage reapers delete by listening to the storage's "Retention deleted {Count} rows
/// ({Reaper})" event (id 1101), because the storage layer has no metrics hook yet. Its own filter rule keeps it
/// fed whatever level the operator sets for logs. Remove it once <c>EventLog.Storage</c> records
/// <c>eventlog.storage.rows_reaped</c> itself.
/// </summary>
internal sealed class RetentionLogBridge(EventLogMetrics metrics) : ILoggerProvider
{
    /// <summary>The storage's retention service category.</summary>
    public const string Category = "EventLog.Storage.Internal.RetentionService";

    private const int ReapedEventId = 1101;

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? new BridgeLogger(metrics) : NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class BridgeLogger(EventLogMetrics metrics) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != ReapedEventId || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                return;
            }
            long? count = null;
            string? reaper = null;
            foreach (var (key, value) in values)
            {
                if (key == "Count" && value is int or long)
                {
                    count = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (key == "Reaper")
                {
                    reaper = value as string;
                }
            }
            if (count is > 0 && reaper is not null)
            {
                metrics.RowsReaped(reaper, count.Value);
            }
        }
    }
}
