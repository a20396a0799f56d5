using EventLog.Storage.Core;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventLog.Storage.PostgreSql;

/// <summary>
/// One connection per process that LISTENs to <see cref="CommitAnnouncement.Channel"/> and wakes the waiters of the
/// streams other processes committed to. When the connection is lost it reconnects, and once it listens again it
/// wakes all waiters so each re-reads its stream: commits announced while nobody listened are not missed. Waits
/// that began before the first connection listened find earlier commits by their poll.
/// </summary>
internal sealed partial class PostgreSqlCommitListener : IAsyncDisposable
{
    /// <summary>The application name of the listening connection (it shows in <c>pg_stat_activity</c>).</summary>
    public const string ApplicationName = "eventlog-commit-listener";

    // A connection that hears nothing for this long is checked with a query, so a silently dropped one is
    // replaced within about this time even when no commit is announced.
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _instance;
    private readonly CommitSignals _signals;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private int _listens;
    private volatile bool _isListening;

    public PostgreSqlCommitListener(string connectionString, string instance, CommitSignals signals, ILogger logger)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = ApplicationName };
        _dataSource = NpgsqlDataSource.Create(builder);
        _instance = instance;
        _signals = signals;
        _logger = logger;
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Completes when the listener first listens.</summary>
    public Task Listening => _listening.Task;

    /// <summary>How many times a connection started listening (more than once after reconnects).</summary>
    public int Listens => Volatile.Read(ref _listens);

    /// <summary>True while a connection listens: announcements reach this process.</summary>
    public bool IsListening => _isListening;

    private async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var conn = await _dataSource.OpenConnectionAsync(ct);
                conn.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {CommitAnnouncement.Channel}", conn))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                _isListening = true;
                if (Interlocked.Increment(ref _listens) > 1)
                {
                    // Commits announced while no connection listened went unheard: every waiter reads its stream.
                    LogListening(_logger, failures);
                    _signals.WakeAll();
                }

                failures = 0;
                _listening.TrySetResult();
                while (true)
                {
                    if (!await conn.WaitAsync(IdleCheck, ct))
                    {
                        await using var check = new NpgsqlCommand("SELECT 1", conn);
                        await check.ExecuteScalarAsync(ct);
                    }
                }
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                // Stopping: a wait cancelled mid-read may surface as a broken connection rather than a cancellation.
                return;
            }
            catch (Exception ex)
            {
                // The loop must outlive any failure. Until it listens again waiters poll at the configured
                // interval: wake them so those sleeping through the longer one start doing so.
                if (_isListening)
                {
                    _isListening = false;
                    _signals.WakeAll();
                }

                if (failures++ == 0)
                {
                    LogLost(_logger, ex);
                }

                try
                {
                    await Task.Delay(RetryDelay, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (CommitAnnouncement.TryDecode(e.Payload) is { } announcement && announcement.From != _instance)
        {
            _signals.Signal(announcement.Streams, announced: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        await _dataSource.DisposeAsync();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Lost the PostgreSQL connection that listens for commits of other processes; waiters poll until it is back")]
    private static partial void LogLost(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Listening for commits of other processes again after {Failures} failed attempts")]
    private static partial void LogListening(ILogger logger, int failures);
}
