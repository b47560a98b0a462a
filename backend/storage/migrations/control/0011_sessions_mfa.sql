-- Sessions, MFA and RBAC (backend/identity/README.md, "Sessions", "MFA", "Roles").
--
-- session_keys: each tenant's Ed25519 key that signs its users' access tokens. The public JWK is
-- in clear (verification needs nothing else); the private key is sealed with the tenant's data
-- key (tenancy::FieldCipher). A token signed for one tenant never verifies for another.
CREATE TABLE session_keys (
    tenant_id      uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    kid            text NOT NULL UNIQUE CHECK (length(kid) BETWEEN 16 AND 64),
    public_jwk     jsonb NOT NULL,
    private_sealed text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- One row per sign-in. The refresh token is "<session id>.<secret>": only its SHA-256 is kept,
-- replaced at each refresh; presenting an older one revokes the session (token theft).
CREATE TABLE user_sessions (
    id              uuid PRIMARY KEY,
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL,
    role            text NOT NULL CHECK (role IN ('admin', 'coach', 'coachee')),
    connection_id   uuid,
    -- How MFA was satisfied: none (not required), idp (asserted by the IdP), totp, recovery.
    mfa             text NOT NULL CHECK (mfa IN ('none', 'idp', 'totp', 'recovery')),
    mfa_pending     boolean NOT NULL,
    mfa_failures    integer NOT NULL DEFAULT 0,
    refresh_hash    bytea NOT NULL CHECK (octet_length(refresh_hash) = 32),
    generation      integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    refreshed_at    timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoke_reason   text CHECK (length(revoke_reason) <= 64)
);
CREATE INDEX user_sessions_user ON user_sessions (tenant_id, user_id) WHERE revoked_at IS NULL;
CREATE INDEX user_sessions_expiry ON user_sessions (expires_at);

-- The tenant's MFA policy: required for everyone, or for some roles; whether an IdP-asserted
-- MFA (SAML AuthnContextClassRef / OIDC amr, per connection) satisfies it.
CREATE TABLE mfa_policies (
    tenant_id      uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    required_all   boolean NOT NULL DEFAULT false,
    required_roles text[] NOT NULL DEFAULT '{}',
    accept_idp_mfa boolean NOT NULL DEFAULT true,
    version        integer NOT NULL DEFAULT 1,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- A user's TOTP authenticator: the secret sealed with the tenant's data key; confirmed once the
-- user proved a code; last_step makes each code usable once.
CREATE TABLE mfa_totp (
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id        uuid NOT NULL,
    secret_sealed  text NOT NULL,
    confirmed_at   timestamptz,
    last_step      bigint,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id)
);

-- Recovery codes: PBKDF2 hashes only; a used code is deleted.
CREATE TABLE mfa_recovery_codes (
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL,
    position   integer NOT NULL,
    code_hash  text NOT NULL CHECK (length(code_hash) <= 200),
    PRIMARY KEY (tenant_id, user_id, position)
);

-- Platform auditors: read the audit log and tenants, change nothing.
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check
    CHECK (role IN ('ops-admin', 'ops-viewer', 'ops-auditor'));

-- Session keys are written once per tenant and never changed; the rest is the service's to keep.
GRANT SELECT, INSERT ON session_keys TO upcoach_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON user_sessions, mfa_policies, mfa_totp, mfa_recovery_codes
    TO upcoach_app;
