-- OpenID Connect logins keep their nonce and PKCE code verifier with the login request (the
-- request id is the OAuth state). Both are one-time values, consumed with the request.
ALTER TABLE sso_login_requests
    ADD COLUMN nonce text NOT NULL DEFAULT '' CHECK (length(nonce) <= 128),
    ADD COLUMN code_verifier text NOT NULL DEFAULT '' CHECK (length(code_verifier) <= 128);
