-- EventLog schema, SQL Server. READ_COMMITTED_SNAPSHOT is recommended (readers never block writers); it is a database
-- setting the DBA turns on: ALTER DATABASE CURRENT SET READ_COMMITTED_SNAPSHOT ON.

CREATE TABLE dbo.streams (
    stream_key nvarchar(300) NOT NULL PRIMARY KEY,
    last_seq   bigint NOT NULL
);

CREATE TABLE dbo.idempotency_keys (
    id          bigint IDENTITY(1,1) NOT NULL PRIMARY KEY,
    scope       nvarchar(128) NOT NULL,
    request_id  nvarchar(128) NOT NULL,
    result_json nvarchar(max) NOT NULL,
    created_at  datetime2(7) NOT NULL
);
CREATE UNIQUE INDEX ux_idempotency_keys ON dbo.idempotency_keys (scope, request_id);
CREATE INDEX ix_idempotency_keys_created ON dbo.idempotency_keys (created_at);

CREATE TABLE dbo.request_log (
    id             bigint IDENTITY(1,1) NOT NULL PRIMARY KEY,
    project        nvarchar(128) NOT NULL,
    occurred_at    datetime2(7) NOT NULL,
    zone           nvarchar(128) NOT NULL,
    kind           nvarchar(128) NOT NULL,
    user_name      nvarchar(128) NOT NULL,
    client_ip      nvarchar(128) NOT NULL,
    status         int NOT NULL,
    app            nvarchar(128) NOT NULL,
    message_code   nvarchar(128) NOT NULL,
    message_params nvarchar(max) NOT NULL,
    detail_code    nvarchar(128) NULL,
    detail_params  nvarchar(max) NULL,
    request_id     nvarchar(128) NULL,
    task_id        bigint NULL
);
CREATE INDEX ix_request_log_time ON dbo.request_log (occurred_at, id);
CREATE INDEX ix_request_log_project ON dbo.request_log (project, occurred_at, id);
CREATE INDEX ix_request_log_app ON dbo.request_log (project, app, occurred_at, id);
CREATE INDEX ix_request_log_kind ON dbo.request_log (project, kind, occurred_at, id);
CREATE INDEX ix_request_log_status ON dbo.request_log (project, status, occurred_at, id);
CREATE INDEX ix_request_log_user ON dbo.request_log (project, user_name, occurred_at, id);
CREATE INDEX ix_request_log_ip ON dbo.request_log (project, client_ip, occurred_at, id);
CREATE INDEX ix_request_log_task ON dbo.request_log (task_id, occurred_at, id) WHERE task_id IS NOT NULL;
CREATE INDEX ix_request_log_request ON dbo.request_log (request_id) WHERE request_id IS NOT NULL;

CREATE TABLE dbo.tasks (
    id               bigint IDENTITY(1,1) NOT NULL PRIMARY KEY,
    project          nvarchar(128) NOT NULL,
    app              nvarchar(128) NOT NULL,
    target_uri       nvarchar(400) NOT NULL,
    state            int NOT NULL,
    cancel_requested bit NOT NULL DEFAULT 0,
    progress_percent int NOT NULL DEFAULT 0,
    progress_message nvarchar(max) NULL,
    request_id       nvarchar(128) NULL,
    request_entry_id bigint NULL,
    zone             nvarchar(128) NOT NULL,
    detail_code      nvarchar(128) NULL,
    detail_params    nvarchar(max) NULL,
    line_count       int NOT NULL DEFAULT 0,
    created_at       datetime2(7) NOT NULL,
    started_at       datetime2(7) NULL,
    finished_at      datetime2(7) NULL,
    updated_at       datetime2(7) NOT NULL
);
CREATE INDEX ix_tasks_time ON dbo.tasks (created_at, id);
CREATE INDEX ix_tasks_project ON dbo.tasks (project, created_at, id);
CREATE INDEX ix_tasks_state ON dbo.tasks (project, state, created_at, id);
CREATE INDEX ix_tasks_app ON dbo.tasks (project, app, created_at, id);
CREATE INDEX ix_tasks_target ON dbo.tasks (project, target_uri, created_at, id);
CREATE INDEX ix_tasks_finished ON dbo.tasks (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE dbo.task_lines (
    id        bigint IDENTITY(1,1) NOT NULL PRIMARY KEY,
    task_id   bigint NOT NULL,
    line_no   bigint NOT NULL,
    logged_at datetime2(7) NOT NULL,
    text      nvarchar(max) NOT NULL
);
CREATE UNIQUE INDEX ux_task_lines ON dbo.task_lines (task_id, line_no);

CREATE TABLE dbo.messages (
    id            uniqueidentifier NOT NULL PRIMARY KEY NONCLUSTERED,
    project       nvarchar(128) NOT NULL,
    seq           bigint NOT NULL,
    request_id    nvarchar(128) NULL,
    action_code   nvarchar(128) NOT NULL,
    detail_code   nvarchar(128) NOT NULL,
    level         int NOT NULL,
    resource_type nvarchar(128) NULL,
    resource_uuid nvarchar(128) NULL,
    host          nvarchar(128) NULL,
    created_at    datetime2(7) NOT NULL,
    expires_at    datetime2(7) NULL
);
CREATE UNIQUE INDEX ux_messages_seq ON dbo.messages (project, seq);
CREATE INDEX ix_messages_time ON dbo.messages (created_at, id);
CREATE INDEX ix_messages_project ON dbo.messages (project, created_at, id);
CREATE INDEX ix_messages_resource_type ON dbo.messages (project, resource_type, created_at, id);
CREATE INDEX ix_messages_resource_uuid ON dbo.messages (project, resource_uuid, created_at, id);
CREATE INDEX ix_messages_action ON dbo.messages (project, action_code, created_at, id);
CREATE INDEX ix_messages_detail ON dbo.messages (project, detail_code, created_at, id);
CREATE INDEX ix_messages_level ON dbo.messages (project, level, created_at, id);
CREATE INDEX ix_messages_request ON dbo.messages (project, request_id, created_at, id);
CREATE INDEX ix_messages_expires ON dbo.messages (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE dbo.prov_steps (
    id            bigint IDENTITY(1,1) NOT NULL PRIMARY KEY,
    cluster_id    nvarchar(128) NOT NULL,
    project       nvarchar(128) NOT NULL,
    step_name     nvarchar(128) NOT NULL,
    step_type     int NOT NULL,
    ordinal       int NOT NULL,
    total         int NOT NULL,
    completed     int NOT NULL DEFAULT 0,
    failed        int NOT NULL DEFAULT 0,
    successful    bit NULL,
    compacted     bit NOT NULL DEFAULT 0,
    created_at    datetime2(7) NOT NULL,
    started_at    datetime2(7) NULL,
    finished_at   datetime2(7) NULL,
    last_event_at datetime2(7) NULL
);
CREATE UNIQUE INDEX ux_prov_steps_cluster ON dbo.prov_steps (cluster_id, ordinal);
CREATE INDEX ix_prov_steps_open ON dbo.prov_steps (last_event_at) WHERE finished_at IS NULL AND started_at IS NOT NULL;
CREATE INDEX ix_prov_steps_compact ON dbo.prov_steps (finished_at) WHERE successful = 1 AND compacted = 0;

CREATE TABLE dbo.prov_events (
    id            bigint IDENTITY(1,1) NOT NULL PRIMARY KEY,
    cluster_id    nvarchar(128) NOT NULL,
    seq           bigint NOT NULL,
    step_id       bigint NOT NULL,
    kind          int NOT NULL,
    node_group    nvarchar(128) NULL,
    instance_id   nvarchar(128) NULL,
    instance_name nvarchar(128) NULL,
    info          nvarchar(max) NULL,
    successful    bit NULL,
    error_id      nvarchar(128) NULL,
    created_at    datetime2(7) NOT NULL
);
CREATE UNIQUE INDEX ux_prov_events_seq ON dbo.prov_events (cluster_id, seq);
CREATE INDEX ix_prov_events_step ON dbo.prov_events (step_id, id);

CREATE TABLE dbo.guest_logs (
    id               bigint IDENTITY(1,1) NOT NULL PRIMARY KEY,
    instance_id      nvarchar(128) NOT NULL,
    log_name         nvarchar(128) NOT NULL,
    project          nvarchar(128) NOT NULL,
    log_type         int NOT NULL,
    status           int NOT NULL,
    file_name        nvarchar(400) NOT NULL,
    datastore        nvarchar(128) NOT NULL,
    exposed          bit NOT NULL,
    restart_required bit NOT NULL,
    published_bytes  bigint NOT NULL DEFAULT 0,
    pending_bytes    bigint NOT NULL DEFAULT 0,
    published_offset bigint NOT NULL DEFAULT 0,
    first_line_hash  nvarchar(128) NULL,
    next_line        bigint NOT NULL DEFAULT 1,
    generation       int NOT NULL DEFAULT 0,
    updated_at       datetime2(7) NOT NULL
);
CREATE UNIQUE INDEX ux_guest_logs ON dbo.guest_logs (instance_id, log_name);
CREATE INDEX ix_guest_logs_project ON dbo.guest_logs (project, instance_id);

CREATE TABLE dbo.guest_log_chunks (
    id          bigint IDENTITY(1,1) NOT NULL PRIMARY KEY,
    log_id      bigint NOT NULL,
    seq         bigint NOT NULL,
    generation  int NOT NULL,
    first_line  bigint NOT NULL,
    line_count  int NOT NULL,
    byte_length bigint NOT NULL,
    content     varbinary(max) NOT NULL,
    created_at  datetime2(7) NOT NULL,
    expires_at  datetime2(7) NULL
);
CREATE UNIQUE INDEX ux_guest_log_chunks_seq ON dbo.guest_log_chunks (log_id, seq);
CREATE INDEX ix_guest_log_chunks_line ON dbo.guest_log_chunks (log_id, first_line);
CREATE INDEX ix_guest_log_chunks_expires ON dbo.guest_log_chunks (expires_at) WHERE expires_at IS NOT NULL;
