-- The command channel of guest agents, shared by every replica on this database. A command is pending
-- while completed_at is null and expires_at is in the future; seq numbers the commands of an instance in
-- commit order (the stream 'agent-commands:<instance_id>'), so a channel resumes after the last it sent.
CREATE TABLE agent_commands (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    command_id    text COLLATE "C" NOT NULL,
    instance_id   text COLLATE "C" NOT NULL,
    seq           bigint NOT NULL,
    command_type  integer NOT NULL,
    log_name      text COLLATE "C" NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    delivered_at  timestamptz NULL,
    deliveries    integer NOT NULL DEFAULT 0,
    completed_at  timestamptz NULL,
    succeeded     boolean NULL,
    error_message text NULL
);
CREATE UNIQUE INDEX ux_agent_commands_seq ON agent_commands (instance_id, seq);
CREATE UNIQUE INDEX ux_agent_commands_id ON agent_commands (command_id);
CREATE INDEX ix_agent_commands_expires ON agent_commands (expires_at);

-- Which instance has an agent channel open, on which replica's connection: the lease is renewed while the
-- channel lives and runs out when its replica dies, so every replica can tell whether an agent is reachable.
CREATE TABLE agent_presence (
    instance_id      text COLLATE "C" NOT NULL PRIMARY KEY,
    connection_id    text COLLATE "C" NOT NULL,
    connected_at     timestamptz NOT NULL,
    lease_expires_at timestamptz NOT NULL
);
CREATE INDEX ix_agent_presence_lease ON agent_presence (lease_expires_at);
