-- The node (host) a request was served on and a provisioning event happened on; NULL when not reported.
ALTER TABLE request_log ADD COLUMN node TEXT NULL;
ALTER TABLE prov_events ADD COLUMN node TEXT NULL;
-- A node's history and the node-filtered timeline walk one node's entries of a project in time order. Partial:
-- entries recorded without a node never match a node filter and cost the index nothing.
CREATE INDEX ix_request_log_node ON request_log (project, node, occurred_at, id) WHERE node IS NOT NULL;
-- The step lists plugins register, once per project, plugin and step type; DeclarePlan can name one instead of
-- spelling its steps. steps is a JSON array of {"name": ..., "total": ...} in plan order.
CREATE TABLE prov_step_lists (
    project    TEXT NOT NULL,
    plugin     TEXT NOT NULL,
    step_type  INTEGER NOT NULL,
    steps      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (project, plugin, step_type)
) WITHOUT ROWID;
