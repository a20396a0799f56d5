using System.Data.Common;
using System.Diagnostics;
using Dapper;

namespace EventLog.Storage.Core;

/// <summary>
/// Opens connections and runs write transactions; after each commit wakes the touched streams. Each write is
/// measured (<see cref="StorageMetrics"/>) and, when someone records it, traced (<see cref="StorageActivities"/>).
/// </summary>
internal abstract class StorageDatabase : IAsyncDisposable
{
    private const int MaxAttempts = 4;

    protected StorageDatabase(ISqlDialect dialect, StorageOptions options, CommitSignals signals, StorageMetrics metrics)
    {
        DapperSetup.EnsureConfigured();
        Dialect = dialect;
        Signals = signals;
        Metrics = metrics;
        CommandTimeout = Math.Max(1, (int)options.CommandTimeout.TotalSeconds);
    }

    public ISqlDialect Dialect { get; }
    public CommitSignals Signals { get; }
    public StorageMetrics Metrics { get; }
    public int CommandTimeout { get; }

    /// <summary>
    /// True while commits of other processes wake this process's waiters (PostgreSQL, while its listening
    /// connection is up): waiters then poll only as a safety net. When it turns false every waiter is woken, so
    /// none sleeps through the longer interval.
    /// </summary>
    public virtual bool HearsOtherCommits => false;

    /// <summary>A new open connection for reads (pooled); the caller disposes it.</summary>
    public abstract Task<DbConnection> OpenReadAsync(CancellationToken ct);

    /// <summary>A connection for migrations (not the shared writer); the caller disposes it.</summary>
    public abstract Task<DbConnection> OpenMigrationAsync(CancellationToken ct);

    /// <summary>
    /// A new connection that proves the store can be reached now: never one kept open from earlier, and
    /// never one that would create a missing database. The caller disposes it.
    /// </summary>
    public abstract Task<DbConnection> OpenProbeAsync(CancellationToken ct);

    /// <summary>
    /// Sees every read command (SQL and parameters) before it runs. Null in production; the query plan
    /// tests set it so they EXPLAIN exactly the SQL the repositories generate, not a copy of it.
    /// </summary>
    internal Action<string, object?>? ReadObserver { get; set; }

    /// <summary>Opens <paramref name="connection"/>, disposing it when the open fails; the caller disposes it otherwise.</summary>
    protected static async Task<DbConnection> OpenOwnedAsync(DbConnection connection, CancellationToken ct)
    {
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The current time of <paramref name="clock"/> as this engine stores it (see <see cref="ISqlDialect.Stored"/>).</summary>
    public DateTime Now(TimeProvider clock) => Dialect.Stored(clock.GetUtcNow().UtcDateTime);

    public CommandDefinition Command(string sql, object? parameters, CancellationToken ct)
    {
        ReadObserver?.Invoke(sql, parameters);
        return new(sql, parameters, commandTimeout: CommandTimeout, cancellationToken: ct);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, object? parameters, CancellationToken ct)
    {
        await using var conn = await OpenReadAsync(ct);
        return (await conn.QueryAsync<T>(Command(sql, parameters, ct))).AsList();
    }

    public async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters, CancellationToken ct)
    {
        await using var conn = await OpenReadAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<T>(Command(sql, parameters, ct));
    }

    public async Task<T?> ScalarAsync<T>(string sql, object? parameters, CancellationToken ct)
    {
        await using var conn = await OpenReadAsync(ct);
        return await conn.ExecuteScalarAsync<T>(Command(sql, parameters, ct));
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction, retrying deadlocks; signals waiters after commit.</summary>
    public async Task<T> WriteAsync<T>(Func<WriteContext, Task<T>> work, CancellationToken ct)
    {
        // Started here, on the caller's flow, so the span is a child of the call's span and covers the queueing.
        var write = StorageActivities.StartWrite(Metrics.SystemName);
        Metrics.WriteStarted();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var (result, touched) = await RunWriteAsync(work, write, ct);
                    if (touched.Count > 0)
                    {
                        Signals.Signal(touched);
                    }

                    write.End(null);
                    return result;
                }
                catch (Exception ex) when (attempt < MaxAttempts && Dialect.IsTransient(ex))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), ct);
                }
            }
        }
        catch (Exception ex)
        {
            write.End(ex);
            throw;
        }
        finally
        {
            Metrics.WriteEnded();
        }
    }

    protected abstract Task<(T Result, IReadOnlyDictionary<string, long> Touched)> RunWriteAsync<T>(Func<WriteContext, Task<T>> work, WriteSpan span, CancellationToken ct);

    protected async Task<(T, IReadOnlyDictionary<string, long>)> RunInTransactionAsync<T>(DbConnection conn, Func<WriteContext, Task<T>> work, WriteSpan span, CancellationToken ct)
    {
        var begun = Stopwatch.GetTimestamp();
        T result;
        WriteContext context;
        var inWork = false;
        try
        {
            await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
            context = new WriteContext(conn, tx, Dialect, CommandTimeout, span.BeginAttempt(), ct);
            inWork = true;
            result = await work(context);
            await BeforeCommitAsync(context);
            inWork = false;
            // Commit must not be abandoned half-way by cancellation: the caller would not know the outcome.
            await tx.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex) when (!inWork)
        {
            // BEGIN or COMMIT failed. A write that fails by itself is its caller's business, as on SQLite.
            Metrics.CommitFailed(ex);
            throw;
        }

        Metrics.Committed(1, begun);
        return (result, context.TouchedStreams);
    }

    /// <summary>
    /// Runs in the write transaction after its work, right before the commit: PostgreSQL announces the touched
    /// streams to other processes there, so the announcement is delivered exactly when the commit is.
    /// </summary>
    protected virtual Task BeforeCommitAsync(WriteContext context) => Task.CompletedTask;

    public abstract ValueTask DisposeAsync();
}
