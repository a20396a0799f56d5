-- EventLog schema, SQLite. Times are fixed-width UTC text 'yyyy-MM-dd HH:mm:ss.fffffff'.

CREATE TABLE streams (
    stream_key TEXT NOT NULL PRIMARY KEY,
    last_seq   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE idempotency_keys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    scope       TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    result_json TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_idempotency_keys ON idempotency_keys (scope, request_id);
CREATE INDEX ix_idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE request_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    project        TEXT NOT NULL,
    occurred_at    TEXT NOT NULL,
    zone           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    user_name      TEXT NOT NULL,
    client_ip      TEXT NOT NULL,
    status         INTEGER NOT NULL,
    app            TEXT NOT NULL,
    message_code   TEXT NOT NULL,
    message_params TEXT NOT NULL,
    detail_code    TEXT NULL,
    detail_params  TEXT NULL,
    request_id     TEXT NULL,
    task_id        INTEGER NULL
);
CREATE INDEX ix_request_log_time ON request_log (occurred_at, id);
CREATE INDEX ix_request_log_project ON request_log (project, occurred_at, id);
CREATE INDEX ix_request_log_app ON request_log (project, app, occurred_at, id);
CREATE INDEX ix_request_log_kind ON request_log (project, kind, occurred_at, id);
CREATE INDEX ix_request_log_status ON request_log (project, status, occurred_at, id);
CREATE INDEX ix_request_log_user ON request_log (project, user_name, occurred_at, id);
CREATE INDEX ix_request_log_ip ON request_log (project, client_ip, occurred_at, id);
CREATE INDEX ix_request_log_task ON request_log (task_id, occurred_at, id) WHERE task_id IS NOT NULL;
CREATE INDEX ix_request_log_request ON request_log (request_id) WHERE request_id IS NOT NULL;

CREATE TABLE tasks (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    project          TEXT NOT NULL,
    app              TEXT NOT NULL,
    target_uri       TEXT NOT NULL,
    state            INTEGER NOT NULL,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    progress_percent INTEGER NOT NULL DEFAULT 0,
    progress_message TEXT NULL,
    request_id       TEXT NULL,
    request_entry_id INTEGER NULL,
    zone             TEXT NOT NULL,
    detail_code      TEXT NULL,
    detail_params    TEXT NULL,
    line_count       INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    started_at       TEXT NULL,
    finished_at      TEXT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX ix_tasks_time ON tasks (created_at, id);
CREATE INDEX ix_tasks_project ON tasks (project, created_at, id);
CREATE INDEX ix_tasks_state ON tasks (project, state, created_at, id);
CREATE INDEX ix_tasks_app ON tasks (project, app, created_at, id);
CREATE INDEX ix_tasks_target ON tasks (project, target_uri, created_at, id);
CREATE INDEX ix_tasks_finished ON tasks (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE task_lines (
    id        INTEGER PRIMARY KEY,
    task_id   INTEGER NOT NULL,
    line_no   INTEGER NOT NULL,
    logged_at TEXT NOT NULL,
    text      TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_task_lines ON task_lines (task_id, line_no);

CREATE TABLE messages (
    id            TEXT NOT NULL PRIMARY KEY,
    project       TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    request_id    TEXT NULL,
    action_code   TEXT NOT NULL,
    detail_code   TEXT NOT NULL,
    level         INTEGER NOT NULL,
    resource_type TEXT NULL,
    resource_uuid TEXT NULL,
    host          TEXT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NULL
);
CREATE UNIQUE INDEX ux_messages_seq ON messages (project, seq);
CREATE INDEX ix_messages_time ON messages (created_at, id);
CREATE INDEX ix_messages_project ON messages (project, created_at, id);
CREATE INDEX ix_messages_resource_type ON messages (project, resource_type, created_at, id);
CREATE INDEX ix_messages_resource_uuid ON messages (project, resource_uuid, created_at, id);
CREATE INDEX ix_messages_action ON messages (project, action_code, created_at, id);
CREATE INDEX ix_messages_detail ON messages (project, detail_code, created_at, id);
CREATE INDEX ix_messages_level ON messages (project, level, created_at, id);
CREATE INDEX ix_messages_request ON messages (project, request_id, created_at, id);
CREATE INDEX ix_messages_expires ON messages (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE prov_steps (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id    TEXT NOT NULL,
    project       TEXT NOT NULL,
    step_name     TEXT NOT NULL,
    step_type     INTEGER NOT NULL,
    ordinal       INTEGER NOT NULL,
    total         INTEGER NOT NULL,
    completed     INTEGER NOT NULL DEFAULT 0,
    failed        INTEGER NOT NULL DEFAULT 0,
    successful    INTEGER NULL,
    compacted     INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    started_at    TEXT NULL,
    finished_at   TEXT NULL,
    last_event_at TEXT NULL
);
CREATE UNIQUE INDEX ux_prov_steps_cluster ON prov_steps (cluster_id, ordinal);
CREATE INDEX ix_prov_steps_open ON prov_steps (last_event_at) WHERE finished_at IS NULL AND started_at IS NOT NULL;
CREATE INDEX ix_prov_steps_compact ON prov_steps (finished_at) WHERE successful = 1 AND compacted = 0;

CREATE TABLE prov_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id    TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    step_id       INTEGER NOT NULL,
    kind          INTEGER NOT NULL,
    node_group    TEXT NULL,
    instance_id   TEXT NULL,
    instance_name TEXT NULL,
    info          TEXT NULL,
    successful    INTEGER NULL,
    error_id      TEXT NULL,
    created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_prov_events_seq ON prov_events (cluster_id, seq);
CREATE INDEX ix_prov_events_step ON prov_events (step_id, id);

CREATE TABLE guest_logs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_id      TEXT NOT NULL,
    log_name         TEXT NOT NULL,
    project          TEXT NOT NULL,
    log_type         INTEGER NOT NULL,
    status           INTEGER NOT NULL,
    file_name        TEXT NOT NULL,
    datastore        TEXT NOT NULL,
    exposed          INTEGER NOT NULL,
    restart_required INTEGER NOT NULL,
    published_bytes  INTEGER NOT NULL DEFAULT 0,
    pending_bytes    INTEGER NOT NULL DEFAULT 0,
    published_offset INTEGER NOT NULL DEFAULT 0,
    first_line_hash  TEXT NULL,
    next_line        INTEGER NOT NULL DEFAULT 1,
    generation       INTEGER NOT NULL DEFAULT 0,
    updated_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_guest_logs ON guest_logs (instance_id, log_name);
CREATE INDEX ix_guest_logs_project ON guest_logs (project, instance_id);

CREATE TABLE guest_log_chunks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    log_id      INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    generation  INTEGER NOT NULL,
    first_line  INTEGER NOT NULL,
    line_count  INTEGER NOT NULL,
    byte_length INTEGER NOT NULL,
    content     BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NULL
);
CREATE UNIQUE INDEX ux_guest_log_chunks_seq ON guest_log_chunks (log_id, seq);
CREATE INDEX ix_guest_log_chunks_line ON guest_log_chunks (log_id, first_line);
CREATE INDEX ix_guest_log_chunks_expires ON guest_log_chunks (expires_at) WHERE expires_at IS NOT NULL;
