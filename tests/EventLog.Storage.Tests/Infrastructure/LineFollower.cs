
namespace EventLog.Storage.Tests.Infrastructure;

/// <summary>Follows a task's lines as a tail does: reads after the last line it has, and waits for a change when there is none.</summary>
public static class LineFollower
{
    /// <summary>Returns the first <paramref name="total"/> lines of the task, in the order they were read.</summary>
    public static async Task<List<TaskLogLine>> FollowAsync(ITaskLogRepository repo, IChangeNotifier notifier, long taskId, int total, CancellationToken ct)
    {
        var received = new List<TaskLogLine>(total);
        long after = 0;
        while (received.Count < total)
        {
            var batch = await repo.ReadLinesAsync(taskId, after, 500, ct);
            if (batch.Items.Count == 0)
            {
                await notifier.WaitForChangeAsync(StreamKeys.TaskLines(taskId), after, ct);
                continue;
            }

            received.AddRange(batch.Items);
            after = batch.Items[^1].LineNo;
        }

        return received;
    }
}
