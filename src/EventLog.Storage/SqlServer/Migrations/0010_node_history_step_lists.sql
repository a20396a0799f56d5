-- The node (host) a request was served on and a provisioning event happened on; NULL when not reported. Nullable
-- columns without a default are added as metadata-only changes. Binary collation: a node filter matches exactly,
-- as on SQLite.
ALTER TABLE dbo.request_log ADD node nvarchar(128) COLLATE Latin1_General_100_BIN2 NULL;
ALTER TABLE dbo.prov_events ADD node nvarchar(128) COLLATE Latin1_General_100_BIN2 NULL;
GO

-- A node's history and the node-filtered timeline walk one node's entries of a project in time order. Filtered:
-- entries recorded without a node never match a node filter and cost the index nothing.
CREATE INDEX ix_request_log_node ON dbo.request_log (project, node, occurred_at, id) WHERE node IS NOT NULL;
-- The step lists plugins register, once per project, plugin and step type; DeclarePlan can name one instead of
-- spelling its steps. steps is a JSON array of {"name": ..., "total": ...} in plan order.
CREATE TABLE dbo.prov_step_lists (
    project    nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL,
    plugin     nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL,
    step_type  int NOT NULL,
    steps      nvarchar(max) NOT NULL,
    created_at datetime2(7) NOT NULL,
    CONSTRAINT pk_prov_step_lists PRIMARY KEY CLUSTERED (project, plugin, step_type)
);
