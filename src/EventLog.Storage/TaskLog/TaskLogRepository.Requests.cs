using System.Globalization;
using EventLog.Storage.Core;

namespace EventLog.Storage.TaskLog;

internal sealed partial class TaskLogRepository
{
    // A request that spawned a task follows the task; TASK entries take the outcome from their status;
    // other entries from the HTTP status. Values are RequestOutcome.
    private const string OutcomeExpression = """
        CASE
            WHEN kind <> 'TASK' AND status >= 400 THEN 3
            WHEN kind = 'TASK' AND status = 1002 THEN 3
            WHEN kind = 'TASK' AND status = 1003 THEN 4
            WHEN kind = 'TASK' OR task_id IS NULL THEN 2
            ELSE COALESCE((SELECT CASE t.state WHEN 3 THEN 2 WHEN 4 THEN 3 WHEN 5 THEN 4 ELSE 1 END
                           FROM tasks t WHERE t.id = request_log.task_id), 2)
        END
        """;

    private const string RequestColumns = $"""
        id, project, occurred_at, zone, kind, user_name, client_ip, status, app, message_code, message_params,
        detail_code, detail_params, request_id, task_id, node, {OutcomeExpression} AS outcome
        """;

    private const string InsertRequestColumns = """
        project, occurred_at, zone, kind, user_name, client_ip, status, app, message_code, message_params,
        detail_code, detail_params, request_id, task_id, node
        """;

    private const string InsertRequestValues = """
        @Project, @OccurredAt, @Zone, @Kind, @UserName, @ClientIp, @Status, @App, @MessageCode, @MessageParams,
        @DetailCode, @DetailParams, @RequestId, @TaskId, @Node
        """;

    private const string SelectRequestById = $"SELECT {RequestColumns} FROM request_log WHERE id = @id";

    private const string SelectTaskOfRequest = """
        SELECT MAX(id) FROM tasks WHERE project = @project AND request_id = @requestId
        """;

    public async Task<RequestLogEntry> RecordRequestAsync(NewRequestLogEntry entry, CancellationToken cancellationToken = default)
    {
        var scope = "tasklog.request:" + entry.Project;
        return await database.WriteAsync(async w =>
        {
            if (await w.FindIdempotentAsync<RequestLogEntry>(scope, entry.IdempotencyKey) is { } existing)
            {
                return existing;
            }

            var toStore = ToStored(entry, entry.OccurredAt ?? Now);
            if (toStore.TaskId is null && toStore.Kind != TaskStatusCodes.TaskKind && !string.IsNullOrEmpty(toStore.RequestId))
            {
                // The task may have been started before its spawning request was logged (Wok logs after responding).
                toStore = toStore with { TaskId = await w.SingleOrDefaultAsync<long?>(SelectTaskOfRequest, new { project = entry.Project, requestId = entry.RequestId }) };
            }

            var inserted = await InsertRequestAsync(w, toStore);
            var stored = await w.SingleOrDefaultAsync<RequestLogEntry>(SelectRequestById, new { id = inserted.Id }) ?? inserted;
            await w.SaveIdempotentAsync(scope, entry.IdempotencyKey, stored, Now);
            return stored;
        }, cancellationToken);
    }

    private static RequestLogEntry ToStored(NewRequestLogEntry e, DateTime at) => new()
    {
        Project = e.Project, OccurredAt = DbValues.Utc(at), Zone = e.Zone, Kind = e.Kind, UserName = e.UserName,
        ClientIp = e.ClientIp, Status = e.Status, App = e.App, MessageCode = e.MessageCode, MessageParams = e.MessageParams,
        DetailCode = e.DetailCode, DetailParams = e.DetailParams, RequestId = e.RequestId, TaskId = e.TaskId,
        Node = e.Node,
    };

    /// <summary>
    /// Inserts an entry. Identity (rowid) values are drawn at insert, not at commit: on SQL Server a writer
    /// could take id 10, a later one id 11 and commit first, and a reader resuming after 11 would never see
    /// 10. Taking the request log's stream row lock first, held to commit, serialises the inserts, so ids
    /// grow in commit order and the id cursor skips nothing (SQLite's single writer already serialises them).
    /// </summary>
    internal static async Task<RequestLogEntry> InsertRequestAsync(WriteContext w, RequestLogEntry entry)
    {
        await w.AllocateAsync(StreamKeys.RequestLog);
        var sql = w.Dialect.InsertReturningId("request_log", InsertRequestColumns, InsertRequestValues);
        var id = await w.ScalarAsync<long>(sql, entry);
        return entry with { Id = id };
    }

    public Task<RequestLogEntry?> GetRequestAsync(long id, CancellationToken cancellationToken = default) =>
        database.QuerySingleOrDefaultAsync<RequestLogEntry>(SelectRequestById, new { id }, cancellationToken);

    public async Task<Page<RequestLogEntry>> ListRequestsAsync(RequestLogFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken = default)
    {
        var d = database.Dialect;
        var q = await FilterRequestsAsync(new ListQuery(d, "occurred_at", "id"), filter, filter.OldestFirst, cancellationToken);
        if (filter.OldestFirst)
        {
            return await ListOldestFirstAsync(q, pageSize, pageToken, cancellationToken);
        }

        q.Index = NewestFirstIndex(filter);
        q.After(pageToken, id => long.Parse(id, CultureInfo.InvariantCulture));
        var sql = $"SELECT {d.Top} {RequestColumns} FROM request_log {q.IndexHint} {q.WhereClause} " +
            $"ORDER BY occurred_at DESC, id DESC {d.Limit}";
        var rows = await database.QueryAsync<RequestLogEntry>(sql, q.Take(pageSize + 1), cancellationToken);
        return q.ToPage(rows, pageSize, r => r.OccurredAt, r => r.Id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The (project, filter, occurred_at, id) index of a project's newest-first list: the filter likely to match
    /// fewest rows, else (project, occurred_at, id). Lists by task or request id are left to the planner (their own indexes).
    /// </summary>
    private static string? NewestFirstIndex(RequestLogFilter filter)
    {
        if (filter.Project is null || filter.TaskId is not null || !string.IsNullOrEmpty(filter.RequestId))
        {
            return null;
        }

        return !string.IsNullOrEmpty(filter.UserName) ? "ix_request_log_user"
            : !string.IsNullOrEmpty(filter.ClientIp) ? "ix_request_log_ip"
            : !string.IsNullOrEmpty(filter.Node) ? "ix_request_log_node"
            : !string.IsNullOrEmpty(filter.App) ? "ix_request_log_app"
            : filter.Status is not null ? "ix_request_log_status"
            : !string.IsNullOrEmpty(filter.Kind) ? "ix_request_log_kind"
            : "ix_request_log_project";
    }

    public async Task<IReadOnlyList<RequestLogEntry>> ReadRequestsAfterAsync(RequestLogFilter filter, long afterId, int limit, CancellationToken cancellationToken = default)
    {
        var d = database.Dialect;
        var q = await FilterRequestsAsync(new ListQuery(d, "occurred_at", "id"), filter, byId: true, cancellationToken);
        q.Where("id > @afterId", "afterId", (long?)afterId);
        var sql = $"SELECT {d.Top} {RequestColumns} FROM request_log {q.WhereClause} " +
            $"ORDER BY id {d.Limit}";
        return await database.QueryAsync<RequestLogEntry>(sql, q.Take(limit), cancellationToken);
    }

    // Oldest first is recording order (id), which is commit order (see InsertRequestAsync) and what a log file shows.
    private async Task<Page<RequestLogEntry>> ListOldestFirstAsync(ListQuery q, int pageSize, string? pageToken, CancellationToken ct)
    {
        var d = database.Dialect;
        var hash = "asc:" + q.FilterHash;
        var afterId = string.IsNullOrEmpty(pageToken) ? 0 : PageToken.Parse(pageToken, hash).Key;
        q.Where("id > @afterId", "afterId", (long?)afterId);
        var sql = $"SELECT {d.Top} {RequestColumns} FROM request_log {q.WhereClause} " +
            $"ORDER BY id {d.Limit}";
        var rows = await database.QueryAsync<RequestLogEntry>(sql, q.Take(pageSize + 1), ct);
        if (rows.Count <= pageSize)
        {
            return new Page<RequestLogEntry>(rows, null);
        }

        rows.RemoveRange(pageSize, rows.Count - pageSize);
        return new Page<RequestLogEntry>(rows, PageToken.Create(hash, rows[^1].Id, ""));
    }

    /// <summary>
    /// Adds the filters. Newest-first lists of a project seek a (project, filter, occurred_at, id) index;
    /// all-project lists walk (occurred_at, id), or (task_id, …) / (request_id, …) when filtered by those;
    /// id-ordered reads (<paramref name="byId"/>: export, oldest first) walk (project, id) or the primary key.
    /// Every other filter is residual, so no shape ends in a sort of all matching rows.
    /// </summary>
    private async Task<ListQuery> FilterRequestsAsync(ListQuery q, RequestLogFilter filter, bool byId, CancellationToken ct)
    {
        DateTime? from = filter.From, to = filter.To;
        if (filter.DuringTaskId is { } duringId)
        {
            // A task of another project is as absent as one that never existed: its window must not leak.
            var task = await GetTaskAsync(duringId, ct);
            if (task is null || (filter.Project is not null && task.Project != filter.Project))
            {
                throw new NotFoundException($"Task {duringId} does not exist.");
            }
            var start = task.StartedAt ?? task.CreatedAt;
            from = from is null || from < start ? start : from;
            var end = (task.FinishedAt ?? DateTime.MaxValue.AddTicks(-1)).AddTicks(1);
            to = to is null || to > end ? end : to;
        }

        var projectIndexOnly = byId || filter.Project is null;
        return q
            .Where("project = @project", "project", filter.Project)
            .Where("app = @app", "app", filter.App, residual: projectIndexOnly)
            .Where("kind = @kind", "kind", filter.Kind, residual: projectIndexOnly)
            .Where("status = @status", "status", filter.Status, residual: projectIndexOnly)
            .Where("user_name = @userName", "userName", filter.UserName, residual: projectIndexOnly)
            .Where("client_ip = @clientIp", "clientIp", filter.ClientIp, residual: projectIndexOnly)
            .Where("node = @node", "node", filter.Node, residual: projectIndexOnly)
            .Where("occurred_at >= @from", "from", from, residual: byId)
            .Where("occurred_at < @to", "to", to, residual: byId)
            .Where("task_id = @taskId", "taskId", filter.TaskId, residual: byId)
            .Where("1 = 1", "duringTaskId", filter.DuringTaskId)
            .Where("request_id = @requestId", "requestId", filter.RequestId, residual: byId)
            .Where($"({OutcomeExpression}) = @outcome", "outcome", filter.Outcome is { } o ? (int?)o : null, residual: true);
    }

    public async Task<IReadOnlyList<RequestLogEntry>> GetTimelineAsync(string? project, int count, string? node = null, CancellationToken cancellationToken = default)
    {
        // A project's timeline of one node seeks (project, node, occurred_at, id) and stops after N rows.
        var d = database.Dialect;
        var q = new ListQuery(d, "occurred_at", "id")
            .Where("project = @project", "project", project)
            .Where("node = @node", "node", node, residual: project is null);
        q.Index = project is not null && !string.IsNullOrEmpty(node) ? "ix_request_log_node" : null;
        var sql = $"SELECT {d.Top} {RequestColumns} FROM request_log {q.IndexHint} {q.WhereClause} " +
            $"ORDER BY occurred_at DESC, id DESC {d.Limit}";
        return await database.QueryAsync<RequestLogEntry>(sql, q.Take(count), cancellationToken);
    }

    public Task<int> ReapRequestsAsync(DateTime cutoff, int batchSize, CancellationToken cancellationToken = default)
    {
        var sql = database.Dialect.DeleteBatch("request_log", "occurred_at < @cutoff");
        return database.WriteAsync(w => w.ExecuteAsync(sql, new { cutoff, batch = batchSize }), cancellationToken);
    }
}
