-- SPDX-License-Identifier: MIT
-- 0001_initial (PostgreSQL): the whole data model of ARCHITECTURE.md "Data model".
-- Migrations are numbered, applied in order and NEVER edited after they land: change the schema
-- with a new file (NNNN_what.sql) in this folder and in ../sqlite, and list it in
-- resources/resources.qrc.
--
-- How the migrator reads this file (server/storage/migrator.cpp), since QSqlQuery runs one
-- statement at a time:
--   * a line starting with "--" and a blank line are skipped (so no "--" comment may start a
--     line inside a string literal); end-of-line comments after SQL are left to the database;
--   * a statement ends at a line whose last character is ";";
--   * a CREATE TRIGGER statement runs up to the line "END;", and a dollar-quoted body
--     ($$ ... $$, e.g. of CREATE FUNCTION) is kept whole, so bodies stay in one statement.
-- The whole file runs in one transaction, under pg_advisory_xact_lock, together with its
-- schema_migrations row: several instances starting at once migrate once.
--
-- Column conventions (PostgreSQL side):
--   * ids are text: UUIDv7 strings for new rows, the original cuids for imported ones;
--   * timestamps are timestamptz (UTC on the wire); booleans boolean; JSON jsonb;
--   * enum-like values are lower-case text with CHECK constraints, not enum types, so a new
--     value is a constraint change and the two dialects stay alike;
--   * search: a generated tsvector column with a GIN index on messages and contacts ('simple'
--     configuration: no stemming, the inbox is multilingual).

-- Accounts ---------------------------------------------------------------------------------

CREATE TABLE users (
    id            text PRIMARY KEY,
    -- stored lower-cased by the application; the CHECK catches a path that forgot
    email         text NOT NULL UNIQUE CHECK (email = lower(email)),
    name          text,
    avatar_url    text,
    password_hash text,                 -- bcrypt; NULL for Google-only accounts
    google_sub    text UNIQUE,          -- Google's stable subject id
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE team_members (
    id         text PRIMARY KEY,
    team_id    text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE invitations (
    id          text PRIMARY KEY,
    team_id     text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    email       text NOT NULL,
    role        text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    invited_by  text REFERENCES users (id) ON DELETE SET NULL,
    token_hash  text UNIQUE,            -- SHA-256 of the invitation token; never the token
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX invitations_team ON invitations (team_id);
-- "is this address invited?" at sign-up: pending invitations only
CREATE INDEX invitations_pending_email ON invitations (lower(email))
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- Rotating refresh tokens: a family is one sign-in; presenting a rotated token again revokes the
-- whole family (reuse detection).
CREATE TABLE refresh_tokens (
    id          text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   text NOT NULL,
    token_hash  text NOT NULL UNIQUE,   -- SHA-256 of the opaque token; never the token
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    rotated_at  timestamptz,            -- set when exchanged for its successor
    revoked_at  timestamptz,
    replaced_by text REFERENCES refresh_tokens (id) ON DELETE SET NULL,
    user_agent  text,
    ip          text
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Channels ---------------------------------------------------------------------------------

-- A channel endpoint of a team. Secrets are not stored here: credentials_ref names an entry in
-- the secret store. A user of the original backend with their own Twilio account gets a
-- personal inbox (owner_user_id).
CREATE TABLE inboxes (
    id                    text PRIMARY KEY,
    team_id               text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name                  text NOT NULL,
    channel               text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'voice')),
    provider              text NOT NULL DEFAULT 'twilio',
    address               text NOT NULL,  -- E.164, or 'whatsapp:+...'
    messaging_service_sid text,
    account_sid           text,
    credentials_ref       text,
    owner_user_id         text REFERENCES users (id) ON DELETE SET NULL,
    settings              jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, channel, address)
);
-- inbound webhooks find their inbox by the address they were sent to, before any team is known
CREATE INDEX inboxes_address ON inboxes (address);
CREATE INDEX inboxes_owner ON inboxes (owner_user_id);

-- Contacts and conversations ---------------------------------------------------------------

CREATE TABLE contacts (
    id                text PRIMARY KEY,
    team_id           text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name              text,
    phone             text,             -- E.164
    email             text,
    attributes        jsonb NOT NULL DEFAULT '{}'::jsonb,
    merged_into       text REFERENCES contacts (id) ON DELETE SET NULL,
    opted_out_at      timestamptz,
    opted_out_channel text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    -- the parser keeps '+15551234567' and 'bob@example.com' as single words, so the digits alone
    -- and the parts of the address are added: '5551234567'-style and 'example' searches match
    search_tsv        tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig,
                          coalesce(name, '') || ' ' || coalesce(phone, '') || ' '
                          || regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g') || ' '
                          || coalesce(email, '') || ' '
                          || regexp_replace(coalesce(email, ''), '[@._+-]', ' ', 'g'))) STORED
);
CREATE INDEX contacts_team_phone ON contacts (team_id, phone);
CREATE INDEX contacts_team_email ON contacts (team_id, email);
CREATE INDEX contacts_merged_into ON contacts (merged_into);
CREATE INDEX contacts_search ON contacts USING gin (search_tsv);

CREATE TABLE conversations (
    id                   text PRIMARY KEY,
    team_id              text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    inbox_id             text REFERENCES inboxes (id) ON DELETE SET NULL,
    contact_id           text NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    channel              text NOT NULL,  -- sms, whatsapp, voice (imported: email, twitter, ...)
    status               text NOT NULL DEFAULT 'open'
                         CHECK (status IN ('open', 'pending', 'resolved', 'snoozed')),
    snoozed_until        timestamptz,
    assignee_id          text REFERENCES users (id) ON DELETE SET NULL,
    last_message_at      timestamptz,
    last_message_preview text,
    unread_count         integer NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
-- the inbox list: newest first, keyset on (last_message_at, id)
CREATE INDEX conversations_team_recent ON conversations (team_id, last_message_at DESC, id);
CREATE INDEX conversations_contact ON conversations (contact_id);
CREATE INDEX conversations_assignee ON conversations (assignee_id);

CREATE TABLE messages (
    id              text PRIMARY KEY,
    team_id         text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    conversation_id text REFERENCES conversations (id) ON DELETE SET NULL,
    contact_id      text NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    inbox_id        text REFERENCES inboxes (id) ON DELETE SET NULL,
    channel         text NOT NULL,      -- sms, whatsapp, voice (imported: email, twitter, ...)
    direction       text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    body            text NOT NULL DEFAULT '',
    media           jsonb NOT NULL DEFAULT '[]'::jsonb,
    provider        text NOT NULL DEFAULT 'twilio',
    provider_sid    text,               -- Twilio MessageSid; NULL until the provider answers
    status          text NOT NULL CHECK (status IN ('pending', 'scheduled', 'queued', 'sending',
                                         'sent', 'delivered', 'read', 'received',
                                         'undelivered', 'failed', 'canceled')),
    error_code      text,
    error_text      text,
    scheduled_at    timestamptz,
    sent_at         timestamptz,
    delivered_at    timestamptz,
    created_by      text REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
    search_tsv      tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, body)) STORED,
    UNIQUE (provider, provider_sid)
);
CREATE INDEX messages_contact_time ON messages (contact_id, created_at, id);
CREATE INDEX messages_conversation_time ON messages (conversation_id, created_at, id);
CREATE INDEX messages_team_time ON messages (team_id, created_at);
CREATE INDEX messages_search ON messages USING gin (search_tsv);

CREATE TABLE calls (
    id                         text PRIMARY KEY,
    team_id                    text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    inbox_id                   text REFERENCES inboxes (id) ON DELETE SET NULL,
    conversation_id            text REFERENCES conversations (id) ON DELETE SET NULL,
    contact_id                 text REFERENCES contacts (id) ON DELETE SET NULL,
    provider_sid               text UNIQUE,  -- Twilio CallSid
    direction                  text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    -- Twilio's call states: queued, ringing, in-progress, completed, busy, failed, no-answer,
    -- canceled (left open: a new provider brings new words)
    status                     text NOT NULL,
    from_address               text,
    to_address                 text,
    duration_seconds           integer,
    recording_url              text,
    recording_duration_seconds integer,
    voicemail                  boolean NOT NULL DEFAULT false,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    ended_at                   timestamptz
);
CREATE INDEX calls_team_time ON calls (team_id, created_at);
CREATE INDEX calls_conversation ON calls (conversation_id);
CREATE INDEX calls_contact ON calls (contact_id);

CREATE TABLE notes (
    id              text PRIMARY KEY,
    team_id         text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    -- NULL only once the author's account is deleted: the team keeps its notes
    author_id       text REFERENCES users (id) ON DELETE SET NULL,
    contact_id      text REFERENCES contacts (id) ON DELETE CASCADE,
    conversation_id text REFERENCES conversations (id) ON DELETE CASCADE,
    content         text NOT NULL,
    is_private      boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_team_time ON notes (team_id, created_at);
CREATE INDEX notes_contact ON notes (contact_id);
CREATE INDEX notes_conversation ON notes (conversation_id);

-- Settings (JSON documents, validated per key by the application) --------------------------

CREATE TABLE user_settings (
    user_id    text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    document   jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE team_settings (
    team_id    text PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
    document   jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Jobs, events, idempotency ----------------------------------------------------------------

-- The durable job queue. Workers claim due rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE jobs (
    id               text PRIMARY KEY,
    kind             text NOT NULL,
    payload          jsonb NOT NULL DEFAULT '{}'::jsonb,
    run_at           timestamptz NOT NULL DEFAULT now(),
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'running', 'done', 'failed', 'canceled')),
    attempts         integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL DEFAULT 5,
    lease_owner      text,
    lease_expires_at timestamptz,
    last_error       text,
    unique_key       text UNIQUE,       -- e.g. 'send:<messageId>': one job per purpose
    team_id          text REFERENCES teams (id) ON DELETE CASCADE,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'pending';
-- a crashed worker's jobs: running with an expired lease
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE status = 'running';

-- The transactional outbox: written in the same transaction as the change it announces; the id
-- is the replay offset for real-time clients. Identity values are handed out when a row is
-- inserted, not when it commits: two concurrent transactions can commit ids out of order, so a
-- reader of "id > last seen" must allow for a late, lower id (re-read a short window behind).
-- team_id has no foreign key on purpose: the log outlives what it talks about, including the
-- event that announces a team's deletion.
CREATE TABLE events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id    text,
    type       text NOT NULL,
    payload    jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_team ON events (team_id, id);

-- Webhook idempotency where a unique provider SID on the target row is not enough.
CREATE TABLE webhook_receipts (
    provider    text NOT NULL,
    event_sid   text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_sid)
);
CREATE INDEX webhook_receipts_time ON webhook_receipts (received_at);
