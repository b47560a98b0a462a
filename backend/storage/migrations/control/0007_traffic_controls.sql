-- Manual traffic controls (backend/routing/README.md, "Manual controls"): a row per region that an
-- operator drained or failed over, and per weighted rule whose weights were overridden. Deleting
-- the row restores the policy's own behaviour. Every change is in the audit log first.
CREATE TABLE traffic_region_overrides (
    region_id       text PRIMARY KEY CHECK (region_id ~ '^[a-z]{2}-[a-z]+-[0-9]{1,2}$'),
    state           text NOT NULL CHECK (state IN ('drained', 'failed-over')),
    failover_target text CHECK (failover_target ~ '^[a-z]{2}-[a-z]+-[0-9]{1,2}$'),
    reason          text NOT NULL CHECK (length(reason) BETWEEN 10 AND 500),
    changed_by      text NOT NULL CHECK (length(changed_by) BETWEEN 1 AND 320),
    changed_at      timestamptz NOT NULL,
    CHECK (state = 'failed-over' OR failover_target IS NULL),
    CHECK (failover_target IS DISTINCT FROM region_id)
);

CREATE TABLE traffic_weight_overrides (
    rule_name  text PRIMARY KEY CHECK (rule_name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    weights    jsonb NOT NULL CHECK (jsonb_typeof(weights) = 'object'),
    reason     text NOT NULL CHECK (length(reason) BETWEEN 10 AND 500),
    changed_by text NOT NULL CHECK (length(changed_by) BETWEEN 1 AND 320),
    changed_at timestamptz NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON traffic_region_overrides, traffic_weight_overrides
    TO upcoach_app;
