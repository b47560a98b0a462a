-- The tenant's directory as identity providers manage it (backend/identity/README.md, "SCIM"):
-- SCIM 2.0 users and groups, and who manages each user. Same rules as 0001: tenant_id on every
-- row, RLS enabled and forced, foreign keys that include tenant_id.
--
-- users gains:
--   managed_by        local (operators, sample data), jit (created at a first SSO login) or
--                     scim (created by the tenant's IdP over SCIM; JIT never overwrites these)
--   active            false: the user may not sign in (SCIM "active", or deprovisioned)
--   user_name         SCIM userName, unique per tenant in any case (NULL: the e-mail serves)
--   external_id       SCIM externalId (the IdP's own id)
--   scim              the user's SCIM resource (RFC 7643 core + enterprise extension,
--                     normalised, without id/meta/groups) for SCIM-managed users; NULL otherwise
--   version           incremented on every change: SCIM meta.version / ETag
--   updated_at        SCIM meta.lastModified
--   deprovisioned_at  set by SCIM DELETE: the user is gone for SCIM, can never sign in again,
--                     and frees its e-mail and userName; the row stays because coaching data
--                     refers to it (erasure of its personal data is a GDPR request's job)
ALTER TABLE users
    ADD COLUMN managed_by text NOT NULL DEFAULT 'local' CHECK (managed_by IN ('local', 'jit', 'scim')),
    ADD COLUMN active boolean NOT NULL DEFAULT true,
    ADD COLUMN user_name text CHECK (user_name IS NULL OR length(user_name) BETWEEN 1 AND 256),
    ADD COLUMN external_id text CHECK (external_id IS NULL OR length(external_id) <= 1024),
    ADD COLUMN scim jsonb CHECK (scim IS NULL OR jsonb_typeof(scim) = 'object'),
    ADD COLUMN version bigint NOT NULL DEFAULT 1,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN deprovisioned_at timestamptz,
    ADD CHECK (deprovisioned_at IS NULL OR NOT active);
UPDATE users SET updated_at = created_at;

DROP INDEX users_email;
CREATE UNIQUE INDEX users_email ON users (tenant_id, lower(email)) WHERE deprovisioned_at IS NULL;
CREATE UNIQUE INDEX users_user_name ON users (tenant_id, lower(coalesce(user_name, email)))
    WHERE deprovisioned_at IS NULL;
CREATE INDEX users_external_id ON users (tenant_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE scim_groups (
    tenant_id    uuid NOT NULL DEFAULT current_tenant_id(),
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 1024),
    external_id  text CHECK (external_id IS NULL OR length(external_id) <= 1024),
    scim         jsonb NOT NULL CHECK (jsonb_typeof(scim) = 'object'),
    version      bigint NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX scim_groups_display_name ON scim_groups (tenant_id, lower(display_name));

-- Like every tenant table, keyed by (tenant_id, id): moves, exports and checks page by id.
CREATE TABLE scim_group_members (
    tenant_id uuid NOT NULL DEFAULT current_tenant_id(),
    id        uuid NOT NULL DEFAULT gen_random_uuid(),
    group_id  uuid NOT NULL,
    user_id   uuid NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, group_id, user_id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES scim_groups (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX scim_group_members_user ON scim_group_members (tenant_id, user_id);

-- The SCIM view of every current user: SCIM-managed users as provisioned, the others derived
-- from their row (userName and the work e-mail are the e-mail), so an IdP can find and link
-- users that existed before SCIM. security_invoker: the caller's RLS policies apply inside.
CREATE VIEW scim_users WITH (security_invoker = true) AS
    SELECT u.tenant_id, u.id, coalesce(u.user_name, u.email) AS user_name, u.external_id,
           u.active, u.managed_by, u.version, u.created_at, u.updated_at,
           coalesce(u.scim, jsonb_build_object(
               'userName', u.email,
               'displayName', u.display_name,
               'emails', jsonb_build_array(jsonb_build_object(
                   'value', u.email, 'type', 'work', 'primary', true)))) AS resource
      FROM users u
     WHERE u.deprovisioned_at IS NULL;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['scim_groups', 'scim_group_members'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I'
                       ' USING (tenant_id = current_tenant_id())'
                       ' WITH CHECK (tenant_id = current_tenant_id())', t);
    END LOOP;
END
$$;
