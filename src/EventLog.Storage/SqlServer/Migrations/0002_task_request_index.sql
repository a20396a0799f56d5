-- Linking a request entry to the task its request id spawned looks tasks up by (project, request_id).
CREATE INDEX ix_tasks_request ON dbo.tasks (project, request_id) WHERE request_id IS NOT NULL;
