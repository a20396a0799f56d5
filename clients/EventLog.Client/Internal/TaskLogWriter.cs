using System.Threading.Channels;

namespace EventLog.Client.Internal;

/// <summary>
/// Sends a task's log lines in the background: lines are gathered for a short interval and sent as
/// numbered batches on AppendTaskLog, so a resent batch after a failure is stored once.
/// </summary>
internal sealed class TaskLogWriter
{
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskLogClient _client;
    private readonly long _taskId;
    private readonly TaskScopeOptions _options;
    private readonly EventLogRetryOptions _retry;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _nextLine;

    public TaskLogWriter(TaskLogClient client, long taskId, long existingLines, TaskScopeOptions options, EventLogRetryOptions retry)
    {
        _client = client;
        _taskId = taskId;
        _options = options;
        _retry = retry;
        _nextLine = existingLines + 1;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The first error that made lines be dropped, or null.</summary>
    public EventLogException? Error { get; private set; }

    public void Write(string line)
    {
        if (!_queue.Writer.TryWrite(line))
        {
            throw new InvalidOperationException("The task's log is closed: the task already completed or failed.");
        }
    }

    /// <summary>Sends every line written so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(flushed))
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends what is left and stops; lines written later are refused.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        using var registration = cancellationToken.Register(_stop.Cancel);
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<string>();
        var waiters = new List<TaskCompletionSource>();
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                await GatherAsync(reader, batch, waiters).ConfigureAwait(false);
                if (batch.Count > 0)
                {
                    await SendAsync(batch).ConfigureAwait(false);
                    batch.Clear();
                }
                foreach (var waiter in waiters)
                {
                    waiter.TrySetResult();
                }
                waiters.Clear();
            }
        }
        catch (OperationCanceledException)
        {
            // Disposal ran out of time; what is left is lost.
        }
        finally
        {
            foreach (var waiter in waiters)
            {
                waiter.TrySetResult();
            }
            while (reader.TryRead(out var item))
            {
                (item as TaskCompletionSource)?.TrySetResult();
            }
        }
    }

    /// <summary>Collects lines until the interval passes, the batch is full or someone flushes.</summary>
    private async Task GatherAsync(ChannelReader<object> reader, List<string> batch, List<TaskCompletionSource> waiters)
    {
        var windowEnd = DateTime.UtcNow + _options.LogFlushInterval;
        while (true)
        {
            while (batch.Count < _options.MaxLinesPerBatch && reader.TryRead(out var item))
            {
                if (item is string line)
                {
                    batch.Add(line);
                }
                else
                {
                    waiters.Add((TaskCompletionSource)item);
                    return;
                }
            }
            var remaining = windowEnd - DateTime.UtcNow;
            if (batch.Count >= _options.MaxLinesPerBatch || remaining <= TimeSpan.Zero || reader.Completion.IsCompleted)
            {
                return;
            }
            using var window = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            window.CancelAfter(remaining);
            try
            {
                if (!await reader.WaitToReadAsync(window.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task SendAsync(List<string> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _client.AppendLogAsync(_taskId, batch, _nextLine, _stop.Token).ConfigureAwait(false);
                _nextLine += batch.Count;
                return;
            }
            catch (EventLogException ex) when (CallRunner.IsTransient(ex) || CallRunner.IsRateLimited(ex, Retry.Idempotent))
            {
                // The server is away (restarting?), or the batch was refused for the token's write rate and not stored:
                // numbered batches make resending safe, so keep trying, as soon as the server says for a rate limit,
                // until disposal gives up. Dropping the batch would lose lines.
                await Task.Delay(_retry.RetryPause(ex, Math.Min(attempt, 10)), _stop.Token).ConfigureAwait(false);
            }
            catch (EventLogException ex)
            {
                Error ??= ex;
                return;
            }
        }
    }
}
