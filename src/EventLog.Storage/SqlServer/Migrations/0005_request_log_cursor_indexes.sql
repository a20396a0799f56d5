-- Export and oldest-first lists read a project's entries in id (commit) order: (project, id) gives that
-- order without sorting every match. All-project lists filtered by request id walk (request_id, occurred_at, id)
-- newest first instead of sorting the entries of that request id.
CREATE INDEX ix_request_log_project_id ON dbo.request_log (project, id);
DROP INDEX ix_request_log_request ON dbo.request_log;
CREATE INDEX ix_request_log_request ON dbo.request_log (request_id, occurred_at, id) WHERE request_id IS NOT NULL;
