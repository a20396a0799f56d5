using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace EventLog.Storage.Core;

/// <summary>
/// The storage engine's instruments (meter <c>EventLog.Storage</c>). Every measurement carries the provider as
/// <c>db.system.name</c> (<c>sqlite</c>, <c>microsoft.sql_server</c> or <c>postgresql</c>); the other tags are bounded sets.
/// </summary>
internal sealed class StorageMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = StorageTelemetry.MeterName;

    // A SQLite commit takes tens of microseconds to milliseconds; SQL Server's take longer.
    private static readonly double[] CommitBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly int[] GroupBuckets = [1, 2, 4, 8, 16, 32, 64];
    private static readonly double[] LagBuckets = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];
    private static readonly KeyValuePair<string, object?> CommitWakeup = new("eventlog.storage.wakeup", "commit");
    private static readonly KeyValuePair<string, object?> NotifyWakeup = new("eventlog.storage.wakeup", "notify");
    private static readonly KeyValuePair<string, object?> PollWakeup = new("eventlog.storage.wakeup", "poll");

    private readonly KeyValuePair<string, object?> _system;
    private readonly Counter<long> _commits;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _commitWrites;
    private readonly Counter<long> _rowsReaped;
    private readonly Counter<long> _wakeups;
    private readonly Histogram<double> _watchLag;
    private long _pendingWrites;

    public StorageMetrics(IMeterFactory meterFactory, IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(options);
        SystemName = options.Value.Provider switch
        {
            StorageProvider.SqlServer => "microsoft.sql_server",
            StorageProvider.PostgreSql => "postgresql",
            _ => "sqlite",
        };
        _system = new("db.system.name", SystemName);
        var meter = meterFactory.Create(MeterName);
        _commits = meter.CreateCounter<long>("eventlog.storage.commits", "{commit}",
            "Write transactions ended: committed, or failed as a whole (error.type names the exception).");
        _commitDuration = meter.CreateHistogram("eventlog.storage.commit.duration", "s",
            "Time from BEGIN to the end of COMMIT of a write transaction.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBuckets });
        _commitWrites = meter.CreateHistogram("eventlog.storage.commit.writes", "{write}",
            "Writes committed together in one transaction (SQLite's group commit; 1 on SQL Server).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = GroupBuckets });
        meter.CreateObservableUpDownCounter("eventlog.storage.writer.queue_depth", () => new Measurement<long>(Volatile.Read(ref _pendingWrites), _system), "{write}",
            "Writes accepted and not yet committed: waiting for the SQLite writer or inside its transaction; on SQL Server, inside their own.");
        _rowsReaped = meter.CreateCounter<long>("eventlog.storage.rows_reaped", "{row}",
            "Rows retention deleted, by reaper (provisioning-events counts the events compaction removed).");
        _wakeups = meter.CreateCounter<long>("eventlog.storage.watch.wakeups", "{wakeup}",
            "Times a waiting watcher woke: at a commit of this process (commit), or to read the positions again for commits of other processes (poll).");
        _watchLag = meter.CreateHistogram("eventlog.storage.watch.lag", "s",
            "How late a waiting watcher saw a change: from the commit's signal until the watcher ran (commit), or from its previous read until the read that found the change (poll).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
    }

    /// <summary>The provider as OpenTelemetry names it (<c>db.system.name</c>).</summary>
    public string SystemName { get; }

    /// <summary>A write was accepted; <see cref="WriteEnded"/> follows once it committed or failed.</summary>
    public void WriteStarted() => Interlocked.Increment(ref _pendingWrites);

    /// <summary>A write accepted by <see cref="WriteStarted"/> committed or failed.</summary>
    public void WriteEnded() => Interlocked.Decrement(ref _pendingWrites);

    /// <summary>A transaction of <paramref name="writes"/> writes that began at <paramref name="begun"/> (a <see cref="Stopwatch"/> timestamp) committed.</summary>
    public void Committed(int writes, long begun)
    {
        _commits.Add(1, _system);
        _commitWrites.Record(writes, _system);
        _commitDuration.Record(Stopwatch.GetElapsedTime(begun).TotalSeconds, _system);
    }

    /// <summary>A transaction failed as a whole (BEGIN, COMMIT or the connection); nothing of it is stored.</summary>
    public void CommitFailed(Exception exception) =>
        _commits.Add(1, _system, new KeyValuePair<string, object?>("error.type", exception.GetType().Name));

    /// <summary>Rows a retention reaper deleted in one round.</summary>
    public void RowsReaped(string reaper, int rows) => _rowsReaped.Add(rows, _system, new KeyValuePair<string, object?>("eventlog.storage.reaper", reaper));

    /// <summary>
    /// A watcher woke at a commit signalled at <paramref name="signalled"/> (a <see cref="Stopwatch"/> timestamp): of this
    /// process, or of another one that <paramref name="announced"/> it (tagged <c>notify</c>, the lag from its arrival).
    /// </summary>
    public void WokenByCommit(long signalled, bool announced = false)
    {
        var kind = announced ? NotifyWakeup : CommitWakeup;
        _wakeups.Add(1, _system, kind);
        _watchLag.Record(Stopwatch.GetElapsedTime(signalled).TotalSeconds, _system, kind);
    }

    /// <summary>A watcher woke with no signal and read the positions again.</summary>
    public void WokenToPoll() => _wakeups.Add(1, _system, PollWakeup);

    /// <summary>A poll found a change; the read before it was at <paramref name="previousRead"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void PollFoundChange(long previousRead) =>
        _watchLag.Record(Stopwatch.GetElapsedTime(previousRead).TotalSeconds, _system, PollWakeup);
}
