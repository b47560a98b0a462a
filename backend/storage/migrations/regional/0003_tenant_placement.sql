-- Where tenants' rows live in this region (backend/tenancy/README.md, "Isolation"):
--  * tenant_shared: the shared schema of the row-level-security strategy. Its tables are built
--    by the tenant migration set (migrations/tenant), applied right after this file.
--  * schema-per-tenant schemas t_<id>, each reachable only through its own NOLOGIN role
--    upcoach_t_<id>. Those roles are members of upcoach_tenant_roles, which is NOINHERIT and
--    granted to upcoach_app: the application may SET ROLE to a tenant's role inside a
--    transaction (TenantSession does, with SET LOCAL) but never holds any tenant's privileges
--    by inheritance.
--  * database-per-tenant databases upcoach_t_<id>, created from upcoach_tenant_template.
-- tenant_placements records each placement once it is complete.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'upcoach_tenant_roles') THEN
        CREATE ROLE upcoach_tenant_roles NOLOGIN NOINHERIT;
    END IF;
END
$$;
GRANT upcoach_tenant_roles TO upcoach_app;

CREATE SCHEMA tenant_shared;

-- A tenant has two placements here only while it moves between strategies.
CREATE TABLE tenant_placements (
    tenant_id      uuid NOT NULL,
    isolation      text NOT NULL CHECK (isolation IN ('rls', 'schema', 'database')),
    slug           text NOT NULL,
    schema_name    text NOT NULL,
    database_name  text NOT NULL,
    provisioned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, isolation)
);
GRANT SELECT ON tenant_placements TO upcoach_app;
