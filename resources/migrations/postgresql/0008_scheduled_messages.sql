-- SPDX-License-Identifier: MIT
-- 0008_scheduled_messages (PostgreSQL): a team's scheduled messages, soonest first (the scheduled
-- list, keyset on (scheduled_at, id)). Partial: only the rows still waiting are indexed; a message
-- leaves the index when its delivery marks it sending, or when it is canceled.
CREATE INDEX messages_scheduled ON messages (team_id, scheduled_at, id) WHERE status = 'scheduled';
