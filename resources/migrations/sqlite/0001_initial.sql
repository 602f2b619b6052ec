-- SPDX-License-Identifier: MIT
-- 0001_initial (SQLite): the whole data model of ARCHITECTURE.md "Data model".
-- Migrations are numbered, applied in order and NEVER edited after they land: change the schema
-- with a new file (NNNN_what.sql) in this folder and in ../postgresql, and list it in
-- resources/resources.qrc.
--
-- How the migrator reads this file (server/storage/migrator.cpp), since QSqlQuery runs one
-- statement at a time:
--   * a line starting with "--" and a blank line are skipped (so no "--" comment may start a
--     line inside a string literal); end-of-line comments after SQL are left to the database;
--   * a statement ends at a line whose last character is ";";
--   * a CREATE TRIGGER statement runs up to the line "END;", so its body stays whole.
-- The whole file runs in one transaction (BEGIN IMMEDIATE) together with its schema_migrations
-- row, with foreign key enforcement off and PRAGMA foreign_key_check before the commit (SQLite's
-- procedure for rebuilding a table, so a later file may create-copy-drop-rename safely).
--
-- Column conventions (SQLite side):
--   * ids are TEXT: UUIDv7 strings for new rows, the original cuids for imported ones;
--   * timestamps are TEXT, ISO-8601 UTC with milliseconds, '2026-11-24T22:50:51.123Z' (sorts as
--     text; the defaults below produce exactly that form);
--   * booleans are INTEGER 0/1; JSON is TEXT checked with json_valid();
--   * enum-like values are lower case (the compatible API maps them to the original's upper case).
--   * the row's implicit rowid keys the FTS5 index of messages and contacts (external content).
--     Never write these two tables with INSERT OR REPLACE / REPLACE INTO: a REPLACE deletes
--     without firing the delete trigger (recursive_triggers is off) and the index goes stale; use
--     INSERT ... ON CONFLICT DO UPDATE. "INSERT INTO messages_fts(messages_fts) VALUES('rebuild')"
--     re-reads the whole table if the index is ever doubted.

-- Accounts ---------------------------------------------------------------------------------

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    -- stored lower-cased by the application; the CHECK catches a path that forgot
    email         TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    name          TEXT,
    avatar_url    TEXT,
    password_hash TEXT,                 -- bcrypt; NULL for Google-only accounts
    google_sub    TEXT UNIQUE,          -- Google's stable subject id
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE teams (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE team_members (
    id         TEXT PRIMARY KEY NOT NULL,
    team_id    TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE invitations (
    id          TEXT PRIMARY KEY NOT NULL,
    team_id     TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    invited_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
    token_hash  TEXT UNIQUE,            -- SHA-256 of the invitation token; never the token
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at  TEXT NOT NULL,
    accepted_at TEXT,
    revoked_at  TEXT
);
CREATE INDEX invitations_team ON invitations (team_id);
-- "is this address invited?" at sign-up: pending invitations only
CREATE INDEX invitations_pending_email ON invitations (lower(email))
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- Rotating refresh tokens: a family is one sign-in; presenting a rotated token again revokes the
-- whole family (reuse detection).
CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,   -- SHA-256 of the opaque token; never the token
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at  TEXT NOT NULL,
    rotated_at  TEXT,                   -- set when exchanged for its successor
    revoked_at  TEXT,
    replaced_by TEXT REFERENCES refresh_tokens (id) ON DELETE SET NULL,
    user_agent  TEXT,
    ip          TEXT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Channels ---------------------------------------------------------------------------------

-- A channel endpoint of a team. Secrets are not stored here: credentials_ref names an entry in
-- the secret store. A user of the original backend with their own Twilio account gets a
-- personal inbox (owner_user_id).
CREATE TABLE inboxes (
    id                    TEXT PRIMARY KEY NOT NULL,
    team_id               TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name                  TEXT NOT NULL,
    channel               TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'voice')),
    provider              TEXT NOT NULL DEFAULT 'twilio',
    address               TEXT NOT NULL,  -- E.164, or 'whatsapp:+...'
    messaging_service_sid TEXT,
    account_sid           TEXT,
    credentials_ref       TEXT,
    owner_user_id         TEXT REFERENCES users (id) ON DELETE SET NULL,
    settings              TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
    created_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (team_id, channel, address)
);
-- inbound webhooks find their inbox by the address they were sent to, before any team is known
CREATE INDEX inboxes_address ON inboxes (address);
CREATE INDEX inboxes_owner ON inboxes (owner_user_id);

-- Contacts and conversations ---------------------------------------------------------------

CREATE TABLE contacts (
    id                TEXT PRIMARY KEY NOT NULL,
    team_id           TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name              TEXT,
    phone             TEXT,             -- E.164
    email             TEXT,
    attributes        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes)),
    merged_into       TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    opted_out_at      TEXT,
    opted_out_channel TEXT,
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX contacts_team_phone ON contacts (team_id, phone);
CREATE INDEX contacts_team_email ON contacts (team_id, email);
CREATE INDEX contacts_merged_into ON contacts (merged_into);

CREATE TABLE conversations (
    id                   TEXT PRIMARY KEY NOT NULL,
    team_id              TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    inbox_id             TEXT REFERENCES inboxes (id) ON DELETE SET NULL,
    contact_id           TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    channel              TEXT NOT NULL,  -- sms, whatsapp, voice (imported: email, twitter, ...)
    status               TEXT NOT NULL DEFAULT 'open'
                         CHECK (status IN ('open', 'pending', 'resolved', 'snoozed')),
    snoozed_until        TEXT,
    assignee_id          TEXT REFERENCES users (id) ON DELETE SET NULL,
    last_message_at      TEXT,
    last_message_preview TEXT,
    unread_count         INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
-- the inbox list: newest first, keyset on (last_message_at, id)
CREATE INDEX conversations_team_recent ON conversations (team_id, last_message_at DESC, id);
CREATE INDEX conversations_contact ON conversations (contact_id);
CREATE INDEX conversations_assignee ON conversations (assignee_id);

CREATE TABLE messages (
    id              TEXT PRIMARY KEY NOT NULL,
    team_id         TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    conversation_id TEXT REFERENCES conversations (id) ON DELETE SET NULL,
    contact_id      TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    inbox_id        TEXT REFERENCES inboxes (id) ON DELETE SET NULL,
    channel         TEXT NOT NULL,      -- sms, whatsapp, voice (imported: email, twitter, ...)
    direction       TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    body            TEXT NOT NULL DEFAULT '',
    media           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(media)),
    provider        TEXT NOT NULL DEFAULT 'twilio',
    provider_sid    TEXT,               -- Twilio MessageSid; NULL until the provider answers
    status          TEXT NOT NULL CHECK (status IN ('pending', 'scheduled', 'queued', 'sending',
                                         'sent', 'delivered', 'read', 'received',
                                         'undelivered', 'failed', 'canceled')),
    error_code      TEXT,
    error_text      TEXT,
    scheduled_at    TEXT,
    sent_at         TEXT,
    delivered_at    TEXT,
    created_by      TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    metadata        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    UNIQUE (provider, provider_sid)
);
CREATE INDEX messages_contact_time ON messages (contact_id, created_at, id);
CREATE INDEX messages_conversation_time ON messages (conversation_id, created_at, id);
CREATE INDEX messages_team_time ON messages (team_id, created_at);

CREATE TABLE calls (
    id                         TEXT PRIMARY KEY NOT NULL,
    team_id                    TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    inbox_id                   TEXT REFERENCES inboxes (id) ON DELETE SET NULL,
    conversation_id            TEXT REFERENCES conversations (id) ON DELETE SET NULL,
    contact_id                 TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    provider_sid               TEXT UNIQUE,  -- Twilio CallSid
    direction                  TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    -- Twilio's call states: queued, ringing, in-progress, completed, busy, failed, no-answer,
    -- canceled (left open: a new provider brings new words)
    status                     TEXT NOT NULL,
    from_address               TEXT,
    to_address                 TEXT,
    duration_seconds           INTEGER,
    recording_url              TEXT,
    recording_duration_seconds INTEGER,
    voicemail                  INTEGER NOT NULL DEFAULT 0 CHECK (voicemail IN (0, 1)),
    created_at                 TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at                 TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ended_at                   TEXT
);
CREATE INDEX calls_team_time ON calls (team_id, created_at);
CREATE INDEX calls_conversation ON calls (conversation_id);
CREATE INDEX calls_contact ON calls (contact_id);

CREATE TABLE notes (
    id              TEXT PRIMARY KEY NOT NULL,
    team_id         TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    -- NULL only once the author's account is deleted: the team keeps its notes
    author_id       TEXT REFERENCES users (id) ON DELETE SET NULL,
    contact_id      TEXT REFERENCES contacts (id) ON DELETE CASCADE,
    conversation_id TEXT REFERENCES conversations (id) ON DELETE CASCADE,
    content         TEXT NOT NULL,
    is_private      INTEGER NOT NULL DEFAULT 0 CHECK (is_private IN (0, 1)),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX notes_team_time ON notes (team_id, created_at);
CREATE INDEX notes_contact ON notes (contact_id);
CREATE INDEX notes_conversation ON notes (conversation_id);

-- Settings (JSON documents, validated per key by the application) --------------------------

CREATE TABLE user_settings (
    user_id    TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    document   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(document)),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE team_settings (
    team_id    TEXT PRIMARY KEY NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    document   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(document)),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Jobs, events, idempotency ----------------------------------------------------------------

-- The durable job queue. On SQLite a worker claims with one conditional UPDATE ... RETURNING.
CREATE TABLE jobs (
    id               TEXT PRIMARY KEY NOT NULL,
    kind             TEXT NOT NULL,
    payload          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    run_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'running', 'done', 'failed', 'canceled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL DEFAULT 5,
    lease_owner      TEXT,
    lease_expires_at TEXT,
    last_error       TEXT,
    unique_key       TEXT UNIQUE,       -- e.g. 'send:<messageId>': one job per purpose
    team_id          TEXT REFERENCES teams (id) ON DELETE CASCADE,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'pending';
-- a crashed worker's jobs: running with an expired lease
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE status = 'running';

-- The transactional outbox: written in the same transaction as the change it announces. The id
-- is the replay offset for real-time clients, so it only grows (AUTOINCREMENT never reuses one).
-- team_id has no foreign key on purpose: the log outlives what it talks about, including the
-- event that announces a team's deletion.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id    TEXT,
    type       TEXT NOT NULL,
    payload    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX events_team ON events (team_id, id);

-- Webhook idempotency where a unique provider SID on the target row is not enough.
CREATE TABLE webhook_receipts (
    provider    TEXT NOT NULL,
    event_sid   TEXT NOT NULL,
    received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (provider, event_sid)
);
CREATE INDEX webhook_receipts_time ON webhook_receipts (received_at);

-- Full-text search -------------------------------------------------------------------------
-- FTS5 with external content: the index stores no copy of the text, the triggers keep it in
-- step with the rowid of the source row. Those rowids are stable: a table with indexes keeps
-- its rowids through VACUUM. Query: ... FROM messages_fts JOIN messages m ON m.rowid =
-- messages_fts.rowid WHERE messages_fts MATCH ? AND m.team_id = ?

CREATE VIRTUAL TABLE messages_fts USING fts5(
    body,
    content = 'messages',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.rowid, new.body);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
END;

-- only when the text changes: status callbacks update messages often and leave the body alone
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO messages_fts (rowid, body) VALUES (new.rowid, new.body);
END;

-- prefix indexes of 2 and 3 characters for type-ahead on names, numbers and addresses
CREATE VIRTUAL TABLE contacts_fts USING fts5(
    name,
    phone,
    email,
    content = 'contacts',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, name, phone, email)
    VALUES (new.rowid, new.name, new.phone, new.email);
END;

CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, name, phone, email)
    VALUES ('delete', old.rowid, old.name, old.phone, old.email);
END;

CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name, phone, email ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, name, phone, email)
    VALUES ('delete', old.rowid, old.name, old.phone, old.email);
    INSERT INTO contacts_fts (rowid, name, phone, email)
    VALUES (new.rowid, new.name, new.phone, new.email);
END;
