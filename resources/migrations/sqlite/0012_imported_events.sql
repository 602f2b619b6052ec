-- SPDX-License-Identifier: MIT
-- 0012_imported_events (SQLite): the original backend's Event rows, kept as history under their
-- own ids. Not in `events`: that table is the real-time outbox, pruned after EVENT_RETENTION,
-- and an imported history must neither be pruned nor be replayed to clients as a live change.
CREATE TABLE imported_events (
    id         TEXT PRIMARY KEY NOT NULL,
    team_id    TEXT REFERENCES teams (id) ON DELETE CASCADE,
    type       TEXT NOT NULL,
    payload    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
    created_at TEXT NOT NULL
);
CREATE INDEX imported_events_team ON imported_events (team_id, created_at);
