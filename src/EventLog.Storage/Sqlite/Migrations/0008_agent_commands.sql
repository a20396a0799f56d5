-- The command channel of guest agents, shared by every replica on this database. A command is pending
-- while completed_at is null and expires_at is in the future; seq numbers the commands of an instance in
-- commit order (the stream 'agent-commands:<instance_id>'), so a channel resumes after the last it sent.
CREATE TABLE agent_commands (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id    TEXT NOT NULL,
    instance_id   TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    command_type  INTEGER NOT NULL,
    log_name      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    delivered_at  TEXT NULL,
    deliveries    INTEGER NOT NULL DEFAULT 0,
    completed_at  TEXT NULL,
    succeeded     INTEGER NULL,
    error_message TEXT NULL
);
CREATE UNIQUE INDEX ux_agent_commands_seq ON agent_commands (instance_id, seq);
CREATE UNIQUE INDEX ux_agent_commands_id ON agent_commands (command_id);
CREATE INDEX ix_agent_commands_expires ON agent_commands (expires_at);

-- Which instance has an agent channel open, on which replica's connection: the lease is renewed while the
-- channel lives and runs out when its replica dies, so every replica can tell whether an agent is reachable.
CREATE TABLE agent_presence (
    instance_id      TEXT NOT NULL PRIMARY KEY,
    connection_id    TEXT NOT NULL,
    connected_at     TEXT NOT NULL,
    lease_expires_at TEXT NOT NULL
);
CREATE INDEX ix_agent_presence_lease ON agent_presence (lease_expires_at);
