-- Keys and tenant columns compare exactly, as on SQLite. Under the default case-insensitive collation
-- 'Acme' and 'acme' were one project (a tenant leak), one idempotency key and one sequence stream.
-- Latin1_General_100_BIN2 compares code points; an index key may not change collation, so every index
-- and constraint on a changed column is dropped and recreated. The migration runner applies the whole
-- script in one transaction under its app lock: a failure leaves the schema as it was.
-- Rebuilding the indexes is size-of-data work and locks the tables until commit: on a large database
-- run it in a quiet period.
--
-- Also: dbo.messages gets a clustered index. It was a heap (PRIMARY KEY NONCLUSTERED on a random GUID),
-- and deleting from a heap leaves its emptied pages allocated. Lists read it newest first by
-- (created_at, id) and the reaper deletes expired rows, whose expires_at is created_at + TTL, so the
-- oldest rows go first: clustered on (created_at, id), inserts append at one end and reaping empties
-- whole pages at the other, which are then deallocated.

-- Statistics on a column block a collation change. Index statistics go with their indexes below; drop the
-- column statistics too (auto-created ones, and any a DBA created).
DECLARE @dropStatistics nvarchar(max) = N'';
SELECT @dropStatistics = @dropStatistics
    + N'DROP STATISTICS dbo.' + QUOTENAME(d.table_name) + N'.' + QUOTENAME(d.stats_name) + N'; '
FROM (
    SELECT DISTINCT k.table_name, s.name AS stats_name
    FROM sys.stats AS s
    JOIN sys.stats_columns AS sc ON sc.object_id = s.object_id AND sc.stats_id = s.stats_id
    JOIN sys.columns AS c ON c.object_id = sc.object_id AND c.column_id = sc.column_id
    JOIN (VALUES
        (N'streams', N'stream_key'),
        (N'idempotency_keys', N'scope'), (N'idempotency_keys', N'request_id'),
        (N'request_log', N'project'), (N'request_log', N'request_id'),
        (N'tasks', N'project'), (N'tasks', N'target_uri'), (N'tasks', N'request_id'),
        (N'messages', N'project'), (N'messages', N'request_id'),
        (N'prov_steps', N'cluster_id'), (N'prov_steps', N'project'),
        (N'prov_events', N'cluster_id'), (N'prov_events', N'instance_id'),
        (N'guest_logs', N'instance_id'), (N'guest_logs', N'log_name'), (N'guest_logs', N'project')
    ) AS k (table_name, column_name) ON s.object_id = OBJECT_ID(N'dbo.' + k.table_name) AND c.name = k.column_name
    WHERE s.auto_created = 1 OR s.user_created = 1
) AS d;
EXEC sys.sp_executesql @dropStatistics;
GO

-- The primary key of dbo.streams was created without a name: look it up.
DECLARE @dropStreamsKey nvarchar(400) = (
    SELECT N'ALTER TABLE dbo.streams DROP CONSTRAINT ' + QUOTENAME(name)
    FROM sys.key_constraints
    WHERE parent_object_id = OBJECT_ID(N'dbo.streams') AND type = 'PK');
IF @dropStreamsKey IS NOT NULL
    EXEC sys.sp_executesql @dropStreamsKey;
GO

DROP INDEX ux_idempotency_keys ON dbo.idempotency_keys;
DROP INDEX ix_request_log_project ON dbo.request_log;
DROP INDEX ix_request_log_app ON dbo.request_log;
DROP INDEX ix_request_log_kind ON dbo.request_log;
DROP INDEX ix_request_log_status ON dbo.request_log;
DROP INDEX ix_request_log_user ON dbo.request_log;
DROP INDEX ix_request_log_ip ON dbo.request_log;
DROP INDEX ix_request_log_request ON dbo.request_log;
DROP INDEX ix_tasks_project ON dbo.tasks;
DROP INDEX ix_tasks_state ON dbo.tasks;
DROP INDEX ix_tasks_app ON dbo.tasks;
DROP INDEX ix_tasks_target ON dbo.tasks;
DROP INDEX ix_tasks_request ON dbo.tasks;
DROP INDEX ux_messages_seq ON dbo.messages;
DROP INDEX ix_messages_time ON dbo.messages;
DROP INDEX ix_messages_project ON dbo.messages;
DROP INDEX ix_messages_resource_type ON dbo.messages;
DROP INDEX ix_messages_resource_uuid ON dbo.messages;
DROP INDEX ix_messages_action ON dbo.messages;
DROP INDEX ix_messages_detail ON dbo.messages;
DROP INDEX ix_messages_level ON dbo.messages;
DROP INDEX ix_messages_request ON dbo.messages;
DROP INDEX ux_prov_steps_cluster ON dbo.prov_steps;
DROP INDEX ux_prov_events_seq ON dbo.prov_events;
DROP INDEX ux_guest_logs ON dbo.guest_logs;
DROP INDEX ix_guest_logs_project ON dbo.guest_logs;
GO

ALTER TABLE dbo.streams ALTER COLUMN stream_key nvarchar(300) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dbo.idempotency_keys ALTER COLUMN scope nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dbo.idempotency_keys ALTER COLUMN request_id nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dbo.request_log ALTER COLUMN project nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dbo.request_log ALTER COLUMN request_id nvarchar(128) COLLATE Latin1_General_100_BIN2 NULL;
ALTER TABLE dbo.tasks ALTER COLUMN project nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dbo.tasks ALTER COLUMN target_uri nvarchar(400) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dbo.tasks ALTER COLUMN request_id nvarchar(128) COLLATE Latin1_General_100_BIN2 NULL;
ALTER TABLE dbo.messages ALTER COLUMN project nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dbo.messages ALTER COLUMN request_id nvarchar(128) COLLATE Latin1_General_100_BIN2 NULL;
ALTER TABLE dbo.prov_steps ALTER COLUMN cluster_id nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dbo.prov_steps ALTER COLUMN project nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dbo.prov_events ALTER COLUMN cluster_id nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dbo.prov_events ALTER COLUMN instance_id nvarchar(128) COLLATE Latin1_General_100_BIN2 NULL;
ALTER TABLE dbo.guest_logs ALTER COLUMN instance_id nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dbo.guest_logs ALTER COLUMN log_name nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL;
ALTER TABLE dbo.guest_logs ALTER COLUMN project nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL;
GO

ALTER TABLE dbo.streams ADD CONSTRAINT pk_streams PRIMARY KEY CLUSTERED (stream_key);
CREATE UNIQUE INDEX ux_idempotency_keys ON dbo.idempotency_keys (scope, request_id);
CREATE INDEX ix_request_log_project ON dbo.request_log (project, occurred_at, id);
CREATE INDEX ix_request_log_app ON dbo.request_log (project, app, occurred_at, id);
CREATE INDEX ix_request_log_kind ON dbo.request_log (project, kind, occurred_at, id);
CREATE INDEX ix_request_log_status ON dbo.request_log (project, status, occurred_at, id);
CREATE INDEX ix_request_log_user ON dbo.request_log (project, user_name, occurred_at, id);
CREATE INDEX ix_request_log_ip ON dbo.request_log (project, client_ip, occurred_at, id);
CREATE INDEX ix_request_log_request ON dbo.request_log (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX ix_tasks_project ON dbo.tasks (project, created_at, id);
CREATE INDEX ix_tasks_state ON dbo.tasks (project, state, created_at, id);
CREATE INDEX ix_tasks_app ON dbo.tasks (project, app, created_at, id);
CREATE INDEX ix_tasks_target ON dbo.tasks (project, target_uri, created_at, id);
CREATE INDEX ix_tasks_request ON dbo.tasks (project, request_id) WHERE request_id IS NOT NULL;
-- The clustered index first: building it rebuilds every nonclustered index left on the table (their row
-- locator changes from a RID to the clustering key), so the ones below are built only once.
CREATE UNIQUE CLUSTERED INDEX ix_messages_time ON dbo.messages (created_at, id);
CREATE UNIQUE INDEX ux_messages_seq ON dbo.messages (project, seq);
CREATE INDEX ix_messages_project ON dbo.messages (project, created_at, id);
CREATE INDEX ix_messages_resource_type ON dbo.messages (project, resource_type, created_at, id);
CREATE INDEX ix_messages_resource_uuid ON dbo.messages (project, resource_uuid, created_at, id);
CREATE INDEX ix_messages_action ON dbo.messages (project, action_code, created_at, id);
CREATE INDEX ix_messages_detail ON dbo.messages (project, detail_code, created_at, id);
CREATE INDEX ix_messages_level ON dbo.messages (project, level, created_at, id);
CREATE INDEX ix_messages_request ON dbo.messages (project, request_id, created_at, id);
CREATE UNIQUE INDEX ux_prov_steps_cluster ON dbo.prov_steps (cluster_id, ordinal);
CREATE UNIQUE INDEX ux_prov_events_seq ON dbo.prov_events (cluster_id, seq);
CREATE UNIQUE INDEX ux_guest_logs ON dbo.guest_logs (instance_id, log_name);
CREATE INDEX ix_guest_logs_project ON dbo.guest_logs (project, instance_id);
