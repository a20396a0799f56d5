using System.Data.Common;
using System.Globalization;
using Dapper;
using EventLog.Storage.Core;

namespace EventLog.Storage.TaskLog;

internal sealed partial class TaskLogRepository
{
    private string? _linesAfterSql;

    private const string InsertLine = """
        INSERT INTO task_lines (task_id, line_no, logged_at, text) VALUES (@taskId, @lineNo, @loggedAt, @text)
        """;

    private const string UpdateLineCount = "UPDATE tasks SET line_count = @last, updated_at = @now WHERE id = @id";

    private const string SelectLinesAfter = """
        SELECT {0} task_id, line_no, logged_at, text FROM task_lines
        WHERE task_id = @taskId AND line_no > @after ORDER BY line_no {1}
        """;

    private const string SelectOldestLine = "SELECT MIN(line_no) FROM task_lines WHERE task_id = @taskId";

    private const string SelectTaskStateForAppend = "SELECT state, line_count, project FROM tasks {0} WHERE id = @id {1}";

    // Reaping runs in three steps, each a batch of one round: lines, then the stream rows of tasks without
    // lines, then tasks without lines or stream rows. A task row goes last, so a round that stops early
    // (batch used up) leaves nothing orphaned: the next round finds the task and continues.
    private const string ReapLinesWhere = "task_id IN (SELECT id FROM tasks WHERE finished_at < @cutoff)";

    private const string ReapStreamsWhere = """
        stream_key IN (
            SELECT CONCAT('task-lines:', t.id) FROM tasks t
            WHERE t.finished_at < @cutoff AND NOT EXISTS (SELECT 1 FROM task_lines l WHERE l.task_id = t.id)
            UNION ALL
            SELECT CONCAT('task-state:', t.id) FROM tasks t
            WHERE t.finished_at < @cutoff AND NOT EXISTS (SELECT 1 FROM task_lines l WHERE l.task_id = t.id))
        """;

    private const string ReapTasksWhere = """
        finished_at < @cutoff
        AND NOT EXISTS (SELECT 1 FROM task_lines l WHERE l.task_id = tasks.id)
        AND NOT EXISTS (SELECT 1 FROM streams s WHERE s.stream_key IN (CONCAT('task-lines:', tasks.id), CONCAT('task-state:', tasks.id)))
        """;

    public async Task<LineRange> AppendLinesAsync(long taskId, IReadOnlyList<string> lines, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        if (lines.Count == 0)
        {
            throw new ArgumentException("At least one line is required.", nameof(lines));
        }

        var scope = "tasklog.lines:" + taskId.ToString(CultureInfo.InvariantCulture);
        return await database.WriteAsync(async w =>
        {
            if (await w.FindIdempotentAsync<LineRange>(scope, idempotencyKey) is { } existing)
            {
                return existing;
            }

            await LoadAppendableAsync(w, taskId);
            var range = await AppendCoreAsync(w, taskId, lines);
            await w.SaveIdempotentAsync(scope, idempotencyKey, range, Now);
            return range;
        }, cancellationToken);
    }

    public Task<LineRange> AppendLinesAtAsync(long taskId, long firstLineNumber, IReadOnlyList<string> lines, string? project = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstLineNumber);
        return database.WriteAsync(async w =>
        {
            var count = await LoadAppendableAsync(w, taskId, project);
            var skip = firstLineNumber == 0 ? 0 : count + 1 - firstLineNumber;
            if (skip < 0)
            {
                throw new PreconditionFailedException(
                    $"Task {taskId} has {count} lines; a batch starting at line {firstLineNumber} would leave a gap.");
            }

            return skip >= lines.Count
                ? new LineRange(count + 1, count)
                : await AppendCoreAsync(w, taskId, skip == 0 ? lines : lines.Skip((int)skip).ToList());
        }, cancellationToken);
    }

    /// <summary>
    /// Locks the task row and returns its line count; throws when it is unknown, of another project than
    /// <paramref name="project"/> (when given), or finished.
    /// </summary>
    private static async Task<long> LoadAppendableAsync(WriteContext w, long taskId, string? project = null)
    {
        var row = await w.SingleOrDefaultAsync<AppendState>(string.Format(CultureInfo.InvariantCulture, SelectTaskStateForAppend, w.Dialect.LockRows, w.Dialect.ForUpdate), new { id = taskId });
        if (row is null || (project is not null && row.Project != project))
        {
            throw new NotFoundException($"Task {taskId} does not exist.");
        }

        if (row.State is TaskState.Succeeded or TaskState.Failed or TaskState.Cancelled)
        {
            throw new PreconditionFailedException($"Task {taskId} is already {row.State.ToString().ToLowerInvariant()}; no more lines can be appended.");
        }

        return row.LineCount;
    }

    private async Task<LineRange> AppendCoreAsync(WriteContext w, long taskId, IReadOnlyList<string> lines)
    {
        var now = Now;
        var first = await w.AllocateAsync(StreamKeys.TaskLines(taskId), lines.Count);
        await InsertLinesAsync(w, taskId, first, lines, now);
        var range = new LineRange(first, first + lines.Count - 1);
        await w.ExecuteAsync(UpdateLineCount, new { id = taskId, last = range.Last, now });
        return range;
    }

    private sealed record AppendState
    {
        public TaskState State { get; init; }
        public long LineCount { get; init; }
        public string Project { get; init; } = "";
    }

    // One prepared command reused for every row: no per-row SQL parsing or Dapper reflection.
    private static async Task InsertLinesAsync(WriteContext w, long taskId, long first, IReadOnlyList<string> lines, DateTime now)
    {
        await using var cmd = w.CreateCommand(InsertLine);
        DbValues.Add(cmd, "@taskId", taskId);
        var lineNo = AddParameter(cmd, "@lineNo");
        DbValues.AddDateTime(cmd, "@loggedAt", now);
        var text = AddParameter(cmd, "@text");
        if (lines.Count > 1)
        {
            lineNo.Value = first;
            text.Value = lines[0];
            await cmd.PrepareAsync(w.CancellationToken);
        }

        for (var i = 0; i < lines.Count; i++)
        {
            lineNo.Value = first + i;
            text.Value = lines[i];
            await cmd.ExecuteNonQueryAsync(w.CancellationToken);
        }
    }

    private static DbParameter AddParameter(DbCommand cmd, string name)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        if (name == "@text")
        {
            p.DbType = System.Data.DbType.String;
            p.Size = -1;
        }
        else
        {
            p.DbType = System.Data.DbType.Int64;
        }

        cmd.Parameters.Add(p);
        return p;
    }

    public async Task<StreamBatch<TaskLogLine>> ReadLinesAsync(long taskId, long afterLine, int limit, CancellationToken cancellationToken = default)
    {
        await using var conn = await database.OpenReadAsync(cancellationToken);
        var rows = await Dapper.SqlMapper.QueryAsync<TaskLogLine>(conn, database.Command(LinesAfterSql, new { taskId, after = afterLine, limit }, cancellationToken));
        var oldest = await Dapper.SqlMapper.ExecuteScalarAsync<long?>(conn, database.Command(SelectOldestLine, new { taskId }, cancellationToken));
        return new StreamBatch<TaskLogLine>(rows.AsList(), oldest ?? 0);
    }

    public async Task<IReadOnlyList<TaskLogLine>> ReadNewLinesAsync(long taskId, long afterLine, int limit, CancellationToken cancellationToken = default) =>
        await database.QueryAsync<TaskLogLine>(LinesAfterSql, new { taskId, after = afterLine, limit }, cancellationToken);

    // Formatted for the dialect once: every follower's wake-up reads lines.
    private string LinesAfterSql => _linesAfterSql ??= string.Format(CultureInfo.InvariantCulture, SelectLinesAfter, database.Dialect.Top, database.Dialect.Limit);

    public Task<int> ReapTasksAsync(DateTime cutoff, int batchSize, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async w =>
        {
            // Finished tasks never get new lines or state changes, so their streams cannot come back once deleted.
            var deleted = await w.ExecuteAsync(w.Dialect.DeleteBatch("task_lines", ReapLinesWhere), new { cutoff, batch = batchSize });
            if (deleted < batchSize)
            {
                deleted += await w.ExecuteAsync(
                    w.Dialect.DeleteBatch("streams", ReapStreamsWhere, key: "stream_key"), new { cutoff, batch = batchSize - deleted });
            }

            if (deleted < batchSize)
            {
                deleted += await w.ExecuteAsync(w.Dialect.DeleteBatch("tasks", ReapTasksWhere), new { cutoff, batch = batchSize - deleted });
            }

            return deleted;
        }, cancellationToken);
}
