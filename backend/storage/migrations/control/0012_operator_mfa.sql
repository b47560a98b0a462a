-- Operator MFA (backend/identity/README.md, "Operator MFA"). A platform API token is one of:
--   operator          a person's credential. Alone it only enrols an authenticator and opens
--                     operator sessions: every other route needs a TOTP code first.
--   operator-session  what an operator credential plus a TOTP code opens: short-lived, idle-timed,
--                     ends with its credential.
--   service           automation (CI, monitoring). No second factor, so it must expire.
-- Existing tokens become operator credentials: after this migration they need MFA.
ALTER TABLE api_tokens ADD COLUMN kind text NOT NULL DEFAULT 'operator'
    CHECK (kind IN ('operator', 'operator-session', 'service'));
ALTER TABLE api_tokens ADD COLUMN parent_id uuid REFERENCES api_tokens (id) ON DELETE CASCADE;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_session_parent
    CHECK ((kind = 'operator-session') = (parent_id IS NOT NULL));
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_expiring_kinds
    CHECK (kind = 'operator' OR expires_at IS NOT NULL);
CREATE INDEX api_tokens_parent ON api_tokens (parent_id) WHERE parent_id IS NOT NULL;

-- An operator credential's authenticator. The TOTP secret is sealed (AES-256-GCM) under a key
-- derived from the credential itself, which the database never holds: a copy of this table
-- cannot produce codes without the token.
CREATE TABLE operator_totp (
    token_id      uuid PRIMARY KEY REFERENCES api_tokens (id) ON DELETE CASCADE,
    secret_sealed bytea NOT NULL CHECK (octet_length(secret_sealed) BETWEEN 44 AND 156),
    created_at    timestamptz NOT NULL DEFAULT now(),
    confirmed_at  timestamptz,
    last_step     bigint,
    failures      integer NOT NULL DEFAULT 0 CHECK (failures >= 0)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON operator_totp TO upcoach_app;
