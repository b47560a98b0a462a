-- The tenant registry (backend/tenancy/README.md). One row per tenant, kept after a hard delete
-- as a tombstone (state 'deleted', contact cleared) so ids and slugs are never reused and the
-- audit log's references stay meaningful. Lifecycle rules are enforced by TenantRegistry and
-- re-checked here by CHECK constraints; placement says where the tenant's rows live.

CREATE TABLE tenant_plans (
    plan         text PRIMARY KEY CHECK (plan ~ '^[a-z][a-z0-9-]{0,31}$'),
    display_name text NOT NULL,
    trial_days   integer NOT NULL CHECK (trial_days BETWEEN 0 AND 365),
    limits       jsonb NOT NULL,
    features     jsonb NOT NULL,
    monthly_price_per_seat_cents bigint NOT NULL CHECK (monthly_price_per_seat_cents >= 0)
);

INSERT INTO tenant_plans (plan, display_name, trial_days, limits, features,
                          monthly_price_per_seat_cents) VALUES
  ('starter', 'Starter', 14,
   '{"seats": 25, "storageBytes": 10737418240, "apiRequestsPerMinute": 600}',
   '{"sso": false, "scim": false, "customDomain": false, "advancedAnalytics": false,
     "aiCoachAssist": false, "hipaa": false}', 1200),
  ('growth', 'Growth', 14,
   '{"seats": 250, "storageBytes": 107374182400, "apiRequestsPerMinute": 3000}',
   '{"sso": true, "scim": false, "customDomain": true, "advancedAnalytics": true,
     "aiCoachAssist": false, "hipaa": false}', 2900),
  ('enterprise', 'Enterprise', 30,
   '{"seats": 100000, "storageBytes": 10995116277760, "apiRequestsPerMinute": 30000}',
   '{"sso": true, "scim": true, "customDomain": true, "advancedAnalytics": true,
     "aiCoachAssist": true, "hipaa": true}', 5900);

CREATE TABLE tenants (
    id              uuid PRIMARY KEY,
    slug            text NOT NULL UNIQUE CHECK (slug ~ '^[a-z][a-z0-9-]{1,61}[a-z0-9]$'),
    display_name    text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    kind            text NOT NULL CHECK (kind IN ('organization', 'sub-organization', 'team')),
    parent_id       uuid REFERENCES tenants (id),
    plan            text NOT NULL REFERENCES tenant_plans (plan),
    state           text NOT NULL CHECK (state IN ('trial', 'active', 'suspended', 'canceled',
                                                   'deleted')),
    trial_ends_at   timestamptz,
    home_region     text NOT NULL,
    allowed_regions text[] NOT NULL,
    isolation       text NOT NULL CHECK (isolation IN ('rls', 'schema', 'database')),
    -- pending → ready; failed (resumable); moving while rows are copied elsewhere
    provisioning    text NOT NULL CHECK (provisioning IN ('pending', 'ready', 'failed', 'moving',
                                                          'removed')),
    provisioning_error text,
    config          jsonb NOT NULL DEFAULT '{}',
    limits          jsonb NOT NULL DEFAULT '{}',
    features        jsonb NOT NULL DEFAULT '{}',
    owner_name      text NOT NULL DEFAULT '',
    owner_email     text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    suspended_at    timestamptz,
    canceled_at     timestamptz,
    -- soft deletion: reversible until purge_after, then rows are removed and keys destroyed
    deletion_requested_at timestamptz,
    purge_after     timestamptz,
    deleted_at      timestamptz,
    version         bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
    CHECK ((kind = 'organization') = (parent_id IS NULL)),
    CHECK (parent_id IS NULL OR parent_id <> id),
    CHECK (home_region = ANY (allowed_regions)),
    CHECK (state <> 'trial' OR trial_ends_at IS NOT NULL),
    CHECK ((purge_after IS NULL) = (deletion_requested_at IS NULL))
);
CREATE INDEX tenants_parent ON tenants (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX tenants_state ON tenants (state, slug);
CREATE INDEX tenants_region ON tenants (home_region, slug);
CREATE INDEX tenants_trial_expiry ON tenants (trial_ends_at) WHERE state = 'trial';

-- The registry is changed only through the application (every change is audited first); rows
-- are never deleted, so the application gets no DELETE.
GRANT SELECT ON tenant_plans TO upcoach_app;
GRANT SELECT, INSERT, UPDATE ON tenants TO upcoach_app;
