using EventLog.Storage.Core;

namespace EventLog.Storage.TaskLog;

internal sealed partial class TaskLogRepository(StorageDatabase database, TimeProvider clock) : ITaskLogRepository
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

    private const string TaskColumns = """
        id, project, app, target_uri, state, cancel_requested, progress_percent, progress_message, request_id,
        request_entry_id, zone, detail_code, detail_params, line_count, created_at, started_at, finished_at, updated_at,
        COALESCE((SELECT s.last_seq FROM streams s WHERE s.stream_key = CONCAT('task-state:', tasks.id)), 0) AS version
        """;

    private DateTime Now => database.Now(clock);
}
