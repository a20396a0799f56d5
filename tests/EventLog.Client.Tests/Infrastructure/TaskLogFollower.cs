using System.Collections.Concurrent;

namespace EventLog.Client.Tests.Infrastructure;

/// <summary>Follows a task's log through the SDK in the background until the task ends, keeping the line numbers it receives.</summary>
public sealed class TaskLogFollower
{
    private readonly ConcurrentQueue<long> _numbers = new();
    private int _reconnects;

    public TaskLogFollower(EventLogClient client, long taskId)
    {
        TaskId = taskId;
        var options = new EventLogStreamOptions { OnReconnecting = (_, _, _) => Interlocked.Increment(ref _reconnects) };
        Done = Task.Run(async () =>
        {
            await foreach (var line in client.Tasks.TailLogAsync(taskId, follow: true, streamOptions: options, cancellationToken: TestTimeouts.Token()))
            {
                _numbers.Enqueue(line.Number);
            }
        });
    }

    public long TaskId { get; }

    /// <summary>Ends when the task ended and its last line was received.</summary>
    public Task Done { get; }

    /// <summary>How many times the stream was resumed after a failure.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    public List<long> Numbers => [.. _numbers];

    public Task Received(int count) => TestTimeouts.EventuallyAsync(() => Task.FromResult(Numbers.Count >= count), $"{count} lines");
}
