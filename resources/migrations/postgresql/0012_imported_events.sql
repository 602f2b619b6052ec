-- SPDX-License-Identifier: MIT
-- 0012_imported_events (PostgreSQL): the original backend's Event rows, kept as history under
-- their own ids. Not in `events`: that table is the real-time outbox, pruned after
-- EVENT_RETENTION, and an imported history must neither be pruned nor be replayed to clients as
-- a live change.
CREATE TABLE imported_events (
    id         text PRIMARY KEY,
    team_id    text REFERENCES teams (id) ON DELETE CASCADE,
    type       text NOT NULL,
    payload    jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL
);
CREATE INDEX imported_events_team ON imported_events (team_id, created_at);
