-- Which region a database serves, and a heartbeat the region monitor and replication checks read.
CREATE TABLE region_identity (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    region_id  text NOT NULL CHECK (region_id ~ '^[a-z]{2}-[a-z]+-[0-9]+$'),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE region_heartbeat (
    region_id  text PRIMARY KEY,
    beat_at    timestamptz NOT NULL DEFAULT now()
);
