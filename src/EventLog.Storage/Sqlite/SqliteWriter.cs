using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using EventLog.Storage.Core;

namespace EventLog.Storage.Sqlite;

/// <summary>
/// The SQLite writer: one connection and one transaction at a time. Writes that queue up while a
/// transaction runs go into the next one together (group commit), so a burst of small writes pays for
/// one commit instead of one each. Every write runs in its own savepoint and is rolled back alone when
/// it fails; its caller hears of success only after the commit that holds it.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    // Bounds how long one transaction holds the database and how much one failed commit takes with it.
    private const int MaxGroup = 64;

    // A group smaller than this gives the threads handling requests one turn of the CPU before it starts, and takes the
    // writes they queued meanwhile. Under load, writes arrive a few at a time while a transaction runs; a bigger group
    // writes fewer WAL pages per row and pays for fewer commits. When nothing else is waiting to run the turn costs a
    // system call. (e2e benchmark, servers with and without it taking turns: 1.07, 1.08 and 1.02 the throughput.)
    private const int SmallGroup = 6;
    private const string Savepoint = "write";

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly ISqlDialect _dialect;
    private readonly int _commandTimeout;
    private readonly StorageMetrics _metrics;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DbConnection? _connection;

    public SqliteWriter(Func<CancellationToken, Task<DbConnection>> open, ISqlDialect dialect, int commandTimeout, StorageMetrics metrics)
    {
        _open = open;
        _dialect = dialect;
        _commandTimeout = commandTimeout;
        _metrics = metrics;
        // Its own thread, not one of the pool's: SQLite's calls run synchronously, so a busy writer would
        // hold a pool thread for as long as writes keep coming, and the request handling it serves would wait.
        new Thread(Loop) { IsBackground = true, Name = "EventLog SQLite writer" }.Start();
    }

    /// <summary>Queues <paramref name="work"/> and completes after the commit that holds it.</summary>
    public Task<(T Result, IReadOnlyDictionary<string, long> Touched)> RunAsync<T>(Func<WriteContext, Task<T>> work, WriteSpan span, CancellationToken ct)
    {
        var pending = new PendingWrite<T>(work, span, ct);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteWriter));
        }

        return pending.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task;
        await CloseConnectionAsync();
    }

    private void Loop()
    {
        try
        {
            var group = new List<PendingWrite>(MaxGroup);
            while (WaitForWrites())
            {
                group.Clear();
                TakeQueued(group);
                if (group.Count is > 0 and < SmallGroup)
                {
                    Thread.Yield();
                    TakeQueued(group);
                }

                if (group.Count > 0)
                {
                    // Microsoft.Data.Sqlite completes its async calls synchronously: this blocks only this thread.
                    RunGroupAsync(group).GetAwaiter().GetResult();
                }
            }

            _stopped.TrySetResult();
        }
        catch (Exception ex)
        {
            _stopped.TrySetException(ex);
        }
    }

    /// <summary>Adds the queued writes that were not cancelled to <paramref name="group"/>, up to <see cref="MaxGroup"/>.</summary>
    private void TakeQueued(List<PendingWrite> group)
    {
        while (group.Count < MaxGroup && _queue.Reader.TryRead(out var next))
        {
            if (next.TryStart())
            {
                group.Add(next);
            }
        }
    }

    /// <summary>Blocks until a write is queued; false once the queue is completed and empty.</summary>
    private bool WaitForWrites()
    {
        var wait = _queue.Reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private async Task RunGroupAsync(List<PendingWrite> group)
    {
        var succeeded = new List<(PendingWrite Write, IReadOnlyDictionary<string, long> Touched)>(group.Count);
        var begun = Stopwatch.GetTimestamp();
        try
        {
            _connection ??= await _open(CancellationToken.None);
            await using var tx = await _connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted);
            foreach (var write in group)
            {
                await tx.SaveAsync(Savepoint);
                var context = new WriteContext(_connection, tx, _dialect, _commandTimeout, write.Span.BeginAttempt(), write.CancellationToken);
                try
                {
                    await write.RunAsync(context);
                    await tx.ReleaseAsync(Savepoint);
                    succeeded.Add((write, context.TouchedStreams));
                }
                catch (Exception ex)
                {
                    // Only this write's changes go; the others in the transaction stay. Should the rollback
                    // itself fail (a broken connection), the whole group fails below.
                    write.Fail(ex);
                    await tx.RollbackAsync(Savepoint);
                    await tx.ReleaseAsync(Savepoint);
                }
            }

            // Commit must not be abandoned half-way by cancellation: the callers would not know the outcome.
            await tx.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // BEGIN, a savepoint or COMMIT failed, or the connection broke: nothing of the group is stored.
            _metrics.CommitFailed(ex);
            foreach (var write in group)
            {
                write.Fail(ex);
            }

            await CloseConnectionAsync();
            return;
        }

        // The writes rolled back to their savepoints were not committed; the group size on the spans counts them.
        _metrics.Committed(succeeded.Count, begun);
        foreach (var (write, touched) in succeeded)
        {
            write.Span.SetGroupSize(group.Count);
            write.Succeed(touched);
        }
    }

    private async Task CloseConnectionAsync()
    {
        if (_connection is not null)
        {
            // Reopened for the next group in case this connection is unusable.
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    /// <summary>One queued write. Cancellation counts only while it waits; once started it runs to its outcome.</summary>
    private abstract class PendingWrite
    {
        private const int Queued = 0;
        private const int Started = 1;
        private const int Cancelled = 2;
        private int _state;

        protected PendingWrite(WriteSpan span, CancellationToken ct)
        {
            Span = span;
            CancellationToken = ct;
        }

        public WriteSpan Span { get; }

        public CancellationToken CancellationToken { get; }

        /// <summary>Claims the write for the writer loop; false when it was cancelled while queued.</summary>
        public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;

        public abstract Task RunAsync(WriteContext context);

        public abstract void Succeed(IReadOnlyDictionary<string, long> touched);

        public abstract void Fail(Exception ex);

        protected bool TryCancelQueued() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;
    }

    private sealed class PendingWrite<T> : PendingWrite
    {
        private readonly TaskCompletionSource<(T Result, IReadOnlyDictionary<string, long> Touched)> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Func<WriteContext, Task<T>> _work;
        private readonly CancellationTokenRegistration _registration;
        private T _result = default!;

        public PendingWrite(Func<WriteContext, Task<T>> work, WriteSpan span, CancellationToken ct)
            : base(span, ct)
        {
            _work = work;
            _registration = ct.Register(static state =>
            {
                var self = (PendingWrite<T>)state!;
                if (self.TryCancelQueued())
                {
                    self._completion.TrySetCanceled(self.CancellationToken);
                }
            }, this);
        }

        public Task<(T Result, IReadOnlyDictionary<string, long> Touched)> Task => _completion.Task;

        public override async Task RunAsync(WriteContext context) => _result = await _work(context);

        public override void Succeed(IReadOnlyDictionary<string, long> touched)
        {
            _registration.Dispose();
            _completion.TrySetResult((_result, touched));
        }

        public override void Fail(Exception ex)
        {
            _registration.Dispose();
            if (ex is OperationCanceledException && CancellationToken.IsCancellationRequested)
            {
                _completion.TrySetCanceled(CancellationToken);
            }
            else
            {
                _completion.TrySetException(ex);
            }
        }
    }
}
