-- The command channel of guest agents, shared by every replica on this database. A command is pending
-- while completed_at is null and expires_at is in the future; seq numbers the commands of an instance in
-- commit order (the stream 'agent-commands:<instance_id>'), so a channel resumes after the last it sent.
CREATE TABLE dbo.agent_commands (
    id            bigint IDENTITY(1,1) NOT NULL PRIMARY KEY,
    command_id    nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    instance_id   nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL,
    seq           bigint NOT NULL,
    command_type  int NOT NULL,
    log_name      nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL,
    created_at    datetime2(7) NOT NULL,
    expires_at    datetime2(7) NOT NULL,
    delivered_at  datetime2(7) NULL,
    deliveries    int NOT NULL CONSTRAINT df_agent_commands_deliveries DEFAULT 0,
    completed_at  datetime2(7) NULL,
    succeeded     bit NULL,
    error_message nvarchar(max) NULL
);
CREATE UNIQUE INDEX ux_agent_commands_seq ON dbo.agent_commands (instance_id, seq);
CREATE UNIQUE INDEX ux_agent_commands_id ON dbo.agent_commands (command_id);
CREATE INDEX ix_agent_commands_expires ON dbo.agent_commands (expires_at);

-- Which instance has an agent channel open, on which replica's connection: the lease is renewed while the
-- channel lives and runs out when its replica dies, so every replica can tell whether an agent is reachable.
CREATE TABLE dbo.agent_presence (
    instance_id      nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY,
    connection_id    nvarchar(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
    connected_at     datetime2(7) NOT NULL,
    lease_expires_at datetime2(7) NOT NULL
);
CREATE INDEX ix_agent_presence_lease ON dbo.agent_presence (lease_expires_at);
