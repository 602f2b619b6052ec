-- SPDX-License-Identifier: MIT
-- 0010_oauth_states (SQLite): the pending "Sign in with Google" redirects. A row is written when
-- a browser is sent to Google and deleted when it comes back (single use), so the callback may
-- land on any instance sharing the database. The state itself is never stored, only its SHA-256
-- (hex); the PKCE code_verifier must be kept as it is (it goes to the token endpoint) and lives
-- for minutes. flow: which surface started it ('compat' ends at CORS_ORIGIN/auth?token=, 'v1'
-- hands over a refresh token too); redirect_to: where the browser goes at the end.
CREATE TABLE oauth_states (
    state_hash    TEXT PRIMARY KEY NOT NULL,
    provider      TEXT NOT NULL DEFAULT 'google',
    flow          TEXT NOT NULL CHECK (flow IN ('compat', 'v1')),
    code_verifier TEXT NOT NULL,
    redirect_to   TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at    TEXT NOT NULL
);
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);
