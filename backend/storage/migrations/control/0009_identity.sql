-- Enterprise identity (backend/identity/README.md): SSO connections per tenant, each tenant's
-- SAML SP key pair, login requests in flight (shared by every serve instance, so a login begun
-- on one instance completes on another), the one-time-use cache of SAML assertion ids, and the
-- tenants' SCIM bearer tokens (SHA-256 only, like api_tokens).

CREATE TABLE sso_connections (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    protocol      text NOT NULL CHECK (protocol IN ('saml', 'oidc')),
    preset        text NOT NULL CHECK (preset IN ('generic', 'entra-id', 'okta',
                                                  'google-workspace', 'onelogin', 'ping')),
    enabled       boolean NOT NULL DEFAULT true,
    email_domains text[] NOT NULL DEFAULT '{}',
    -- Protocol settings (IdP entity, URLs, certificates, options, JIT and role rules). Never a
    -- secret in clear: client secrets live in settings only encrypted.
    settings      jsonb NOT NULL,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);
CREATE INDEX sso_connections_tenant ON sso_connections (tenant_id);
CREATE INDEX sso_connections_domains ON sso_connections USING gin (email_domains);

CREATE TABLE saml_sp_keys (
    tenant_id       uuid PRIMARY KEY REFERENCES tenants (id),
    certificate_pem text NOT NULL,
    private_key_pem text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sso_login_requests (
    id            text PRIMARY KEY CHECK (length(id) BETWEEN 16 AND 128),
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    connection_id uuid NOT NULL REFERENCES sso_connections (id) ON DELETE CASCADE,
    relay_state   text NOT NULL DEFAULT '' CHECK (length(relay_state) <= 1024),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    consumed_at   timestamptz
);
CREATE INDEX sso_login_requests_expiry ON sso_login_requests (expires_at);

CREATE TABLE sso_assertion_replay (
    replay_key    bytea PRIMARY KEY CHECK (length(replay_key) = 32),
    connection_id uuid NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX sso_assertion_replay_expiry ON sso_assertion_replay (expires_at);

CREATE TABLE scim_tokens (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    token_hash   bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX scim_tokens_tenant ON scim_tokens (tenant_id) WHERE revoked_at IS NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON sso_connections, saml_sp_keys, sso_login_requests,
    sso_assertion_replay, scim_tokens TO upcoach_app;
