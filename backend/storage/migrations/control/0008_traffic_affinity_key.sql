-- The HMAC key of session-affinity tokens (backend/routing/README.md, "Session affinity"), shared
-- by every serve instance on this control plane: a client pinned by one instance keeps its region
-- on the next. The first instance to start creates it; the others read it. 32 random bytes, hex.
CREATE TABLE traffic_secrets (
    name       text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{0,62}$'),
    secret     text NOT NULL CHECK (secret ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT ON traffic_secrets TO upcoach_app;
