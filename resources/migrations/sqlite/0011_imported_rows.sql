-- SPDX-License-Identifier: MIT
-- 0011_imported_rows (SQLite): what `inbox-central import` took from the original backend that
-- has no id of its own here (its events, whose ids are ours; a user's Twilio settings, which
-- became personal inboxes), so a second run knows them and changes nothing. Rows that keep
-- their source id (users, contacts, messages, ...) need no entry: the id says it.
CREATE TABLE imported_rows (
    source_table TEXT NOT NULL,
    source_id    TEXT NOT NULL,
    imported_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (source_table, source_id)
);
