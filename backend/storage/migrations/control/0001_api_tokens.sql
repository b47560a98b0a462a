-- Bearer tokens for the /api/ routes. Only the SHA-256 of a token is stored.
CREATE TABLE api_tokens (
    id          uuid PRIMARY KEY,
    token_hash  bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    role        text NOT NULL CHECK (role IN ('ops-admin', 'ops-viewer')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    revoked_at  timestamptz,
    last_used_at timestamptz
);
