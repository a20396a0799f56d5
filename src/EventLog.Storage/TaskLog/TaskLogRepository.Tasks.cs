using System.Globalization;
using System.Text.Json;
using EventLog.Storage.Core;

namespace EventLog.Storage.TaskLog;

internal sealed partial class TaskLogRepository
{
    private const string TaskColumns = """
        id, project, app, target_uri, state, cancel_requested, progress_percent, progress_message, request_id,
        request_entry_id, zone, detail_code, detail_params, line_count, created_at, started_at, finished_at, updated_at,
        COALESCE((SELECT s.last_seq FROM streams s WHERE s.stream_key = CONCAT('task-state:', tasks.id)), 0) AS version
        """;

    // cancel_requested starts at its default (false): the engines spell a flag literal differently.
    private const string InsertTaskColumns = """
        project, app, target_uri, state, progress_percent, request_id, request_entry_id, zone,
        line_count, created_at, started_at, updated_at
        """;

    private const string InsertTaskValues = """
        @Project, @App, @TargetUri, @State, 0, @RequestId, @RequestEntryId, @Zone, 0, @CreatedAt, @StartedAt, @UpdatedAt
        """;

    private const string SelectTaskById = $"SELECT {TaskColumns} FROM tasks WHERE id = @id";

    private const string LinkSpawningEntry = "UPDATE request_log SET task_id = @taskId WHERE id = @entryId";

    private const string LinkSpawningRequest = """
        UPDATE request_log SET task_id = @taskId
        WHERE project = @project AND request_id = @requestId AND kind <> 'TASK' AND task_id IS NULL
        """;

    private const string UpdateProgress = """
        UPDATE tasks SET progress_percent = @percent, progress_message = @message, updated_at = @now WHERE id = @id
        """;

    private const string UpdateRunning = "UPDATE tasks SET state = @state, started_at = @now, updated_at = @now WHERE id = @id";

    private const string UpdateCancelRequested = "UPDATE tasks SET cancel_requested = {0}, updated_at = @now WHERE id = @id";

    private const string UpdateFinished = """
        UPDATE tasks SET state = @state, finished_at = @now, updated_at = @now, detail_code = @detailCode,
            detail_params = @detailParams, progress_percent = CASE WHEN @state = 3 THEN 100 ELSE progress_percent END
        WHERE id = @id
        """;

    private const string SelectNewestOfTarget = $$"""
        SELECT {0} {{TaskColumns}} FROM tasks WHERE project = @project AND target_uri = @targetUri AND state IN ({2}){3}
        ORDER BY created_at DESC, id DESC {1}
        """;

    public async Task<TaskInfo> StartTaskAsync(StartTaskRequest request, CancellationToken cancellationToken = default)
    {
        var scope = "tasklog.task:" + request.Project;
        return await database.WriteAsync(async w =>
        {
            if (await w.FindIdempotentAsync<TaskInfo>(scope, request.IdempotencyKey) is { } existing)
            {
                return existing;
            }

            var now = Now;
            var task = new TaskInfo
            {
                Project = request.Project, App = request.App, TargetUri = request.TargetUri, Zone = request.Zone,
                State = request.Queued ? TaskState.Queued : TaskState.Running, RequestId = request.RequestId,
                RequestEntryId = request.SpawningEntryId, CreatedAt = now, UpdatedAt = now,
                StartedAt = request.Queued ? null : now,
            };
            var id = await w.ScalarAsync<long>(w.Dialect.InsertReturningId("tasks", InsertTaskColumns, InsertTaskValues), task);
            task = task with { Id = id };
            if (request.SpawningEntryId is { } entryId)
            {
                await w.ExecuteAsync(LinkSpawningEntry, new { taskId = id, entryId });
            }
            else if (!string.IsNullOrEmpty(request.RequestId))
            {
                await w.ExecuteAsync(LinkSpawningRequest, new { taskId = id, project = request.Project, requestId = request.RequestId });
            }

            if (!request.Queued)
            {
                await WriteTaskEntryAsync(w, task, TaskStatusCodes.Started, TaskStatusCodes.StartedMessage, now);
            }

            task = task with { Version = await w.AllocateAsync(StreamKeys.TaskState(id)) };
            await w.SaveIdempotentAsync(scope, request.IdempotencyKey, task, now);
            return task;
        }, cancellationToken);
    }

    public Task<TaskInfo> MarkRunningAsync(long taskId, CancellationToken cancellationToken = default) =>
        ChangeTaskAsync(taskId, async (w, task, now) =>
        {
            if (task.State != TaskState.Queued)
            {
                return task.State == TaskState.Running ? null : throw Finished(task);
            }

            await w.ExecuteAsync(UpdateRunning, new { id = taskId, state = TaskState.Running, now });
            await WriteTaskEntryAsync(w, task, TaskStatusCodes.Started, TaskStatusCodes.StartedMessage, now);
            return true;
        }, cancellationToken);

    public Task<TaskInfo> ReportProgressAsync(long taskId, int percent, string? message, CancellationToken cancellationToken = default) =>
        ChangeTaskAsync(taskId, async (w, task, now) =>
        {
            if (task.IsFinished)
            {
                throw Finished(task);
            }

            await w.ExecuteAsync(UpdateProgress, new { id = taskId, percent = Math.Clamp(percent, 0, 100), message, now });
            return true;
        }, cancellationToken);

    public Task<TaskInfo> CompleteTaskAsync(long taskId, CancellationToken cancellationToken = default) =>
        FinishAsync(taskId, TaskState.Succeeded, TaskStatusCodes.Succeeded, TaskStatusCodes.SucceededMessage, null, null, cancellationToken);

    public Task<TaskInfo> FailTaskAsync(long taskId, string detailCode, string? detailParams, CancellationToken cancellationToken = default) =>
        FinishAsync(taskId, TaskState.Failed, TaskStatusCodes.Failed, TaskStatusCodes.FailedMessage, detailCode, detailParams, cancellationToken);

    public Task<TaskInfo> ConfirmCancelAsync(long taskId, CancellationToken cancellationToken = default) =>
        FinishAsync(taskId, TaskState.Cancelled, TaskStatusCodes.Cancelled, TaskStatusCodes.CancelledMessage, null, null, cancellationToken);

    public Task<TaskInfo> RequestCancelAsync(long taskId, CancellationToken cancellationToken = default) =>
        ChangeTaskAsync(taskId, async (w, task, now) =>
        {
            if (task.IsFinished)
            {
                throw Finished(task);
            }

            if (task.CancelRequested)
            {
                return null;
            }

            await w.ExecuteAsync(string.Format(CultureInfo.InvariantCulture, UpdateCancelRequested, w.Dialect.True), new { id = taskId, now });
            return true;
        }, cancellationToken);

    private Task<TaskInfo> FinishAsync(long taskId, TaskState state, int status, string messageCode, string? detailCode, string? detailParams, CancellationToken ct) =>
        ChangeTaskAsync(taskId, async (w, task, now) =>
        {
            if (task.IsFinished)
            {
                return task.State == state ? null : throw Finished(task);
            }

            await w.ExecuteAsync(UpdateFinished, new { id = taskId, state, now, detailCode, detailParams });
            var finished = task with { DetailCode = detailCode, DetailParams = detailParams };
            await WriteTaskEntryAsync(w, finished, status, messageCode, now);
            return true;
        }, ct);

    /// <summary>Loads the task under lock, applies a change (null = nothing to do), bumps its state stream, returns the new row.</summary>
    private Task<TaskInfo> ChangeTaskAsync(long taskId, Func<WriteContext, TaskInfo, DateTime, Task<bool?>> change, CancellationToken ct) =>
        database.WriteAsync(async w =>
        {
            var task = await LoadForUpdateAsync(w, taskId);
            if (await change(w, task, Now) is null)
            {
                return task;
            }

            await w.AllocateAsync(StreamKeys.TaskState(taskId));
            return await w.SingleOrDefaultAsync<TaskInfo>(SelectTaskById, new { id = taskId }) ?? task;
        }, ct);

    private static async Task<TaskInfo> LoadForUpdateAsync(WriteContext w, long taskId) =>
        await w.SingleOrDefaultAsync<TaskInfo>($"SELECT {TaskColumns} FROM tasks {w.Dialect.LockRows} WHERE id = @id {w.Dialect.ForUpdate}", new { id = taskId })
        ?? throw new NotFoundException($"Task {taskId} does not exist.");

    private static PreconditionFailedException Finished(TaskInfo task) =>
        new($"Task {task.Id} is already {task.State.ToString().ToLowerInvariant()}.");

    private static Task WriteTaskEntryAsync(WriteContext w, TaskInfo task, int status, string messageCode, DateTime now)
    {
        var messageParams = JsonSerializer.Serialize(new Dictionary<string, object> { ["target_uri"] = task.TargetUri, ["task_id"] = task.Id });
        return InsertRequestAsync(w, new RequestLogEntry
        {
            Project = task.Project, OccurredAt = now, Zone = task.Zone, Kind = TaskStatusCodes.TaskKind, Status = status,
            App = task.App, MessageCode = messageCode, MessageParams = messageParams, DetailCode = task.DetailCode,
            DetailParams = task.DetailParams, RequestId = task.RequestId, TaskId = task.Id,
        });
    }

    public Task<TaskInfo?> GetTaskAsync(long taskId, CancellationToken cancellationToken = default) =>
        database.QuerySingleOrDefaultAsync<TaskInfo>(SelectTaskById, new { id = taskId }, cancellationToken);

    public Task<TaskInfo?> GetActiveTaskAsync(string project, string targetUri, string? app = null, CancellationToken cancellationToken = default) =>
        NewestOfTargetAsync("1, 2", project, targetUri, app, cancellationToken);

    public Task<TaskInfo?> GetLastTaskAsync(string project, string targetUri, string? app = null, CancellationToken cancellationToken = default) =>
        NewestOfTargetAsync("3, 4, 5", project, targetUri, app, cancellationToken);

    // Walks ix_tasks_target (project, target_uri, created_at, id) backwards and stops at the first match, of the
    // app too when one is asked for: the newest task of the target may belong to another app.
    private async Task<TaskInfo?> NewestOfTargetAsync(string states, string project, string targetUri, string? app, CancellationToken ct)
    {
        var d = database.Dialect;
        var sql = string.Format(CultureInfo.InvariantCulture, SelectNewestOfTarget, d.Top, d.Limit, states, app is null ? "" : " AND app = @app");
        var rows = await database.QueryAsync<TaskInfo>(sql, new { project, targetUri, app, limit = 1 }, ct);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<Page<TaskInfo>> ListTasksAsync(TaskFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken = default)
    {
        // (project, state|app, created_at, id) indexes serve a project's lists; all-project lists walk (created_at, id).
        var admin = filter.Project is null;
        var d = database.Dialect;
        var q = new ListQuery(d, "created_at", "id")
            .Where("project = @project", "project", filter.Project)
            .Where("state = @state", "state", filter.State is { } s ? (int?)s : null, residual: admin)
            .Where("app = @app", "app", filter.App, residual: admin)
            .StartsWith("target_uri", "target", filter.TargetPrefix)
            .Where("created_at >= @from", "from", filter.CreatedFrom)
            .Where("created_at < @to", "to", filter.CreatedTo);
        q.Index = admin ? null : filter.State is not null ? "ix_tasks_state" : !string.IsNullOrEmpty(filter.App) ? "ix_tasks_app" : "ix_tasks_project";
        q.After(pageToken, id => long.Parse(id, CultureInfo.InvariantCulture));
        var sql = $"SELECT {d.Top} {TaskColumns} FROM tasks {q.IndexHint} {q.WhereClause} " +
            $"ORDER BY created_at DESC, id DESC {d.Limit}";
        var rows = await database.QueryAsync<TaskInfo>(sql, q.Take(pageSize + 1), cancellationToken);
        return q.ToPage(rows, pageSize, t => t.CreatedAt, t => t.Id.ToString(CultureInfo.InvariantCulture));
    }
}
