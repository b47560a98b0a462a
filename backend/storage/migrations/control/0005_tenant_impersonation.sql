-- Operator impersonation of a tenant user (backend/tenancy/README.md, "Impersonation"). A row
-- is written when it starts (after its audit event is durable) and closed when it ends or found
-- expired; every action taken under it is recorded with both identities.
CREATE TABLE tenant_impersonations (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    operator    text NOT NULL CHECK (length(operator) BETWEEN 1 AND 320),
    subject     text NOT NULL CHECK (length(subject) BETWEEN 1 AND 320),
    reason      text NOT NULL CHECK (length(reason) BETWEEN 10 AND 1000),
    ticket      text NOT NULL CHECK (ticket ~ '^[A-Za-z][A-Za-z0-9_-]{0,31}-?[0-9]{1,12}$'),
    started_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    ended_at    timestamptz,
    ended_by    text,
    CHECK (expires_at > started_at AND expires_at <= started_at + interval '4 hours'),
    CHECK ((ended_at IS NULL) = (ended_by IS NULL))
);
CREATE INDEX tenant_impersonations_open ON tenant_impersonations (tenant_id)
    WHERE ended_at IS NULL;
GRANT SELECT, INSERT ON tenant_impersonations TO upcoach_app;
GRANT UPDATE (ended_at, ended_by) ON tenant_impersonations TO upcoach_app;
