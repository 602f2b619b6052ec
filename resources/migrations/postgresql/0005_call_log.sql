-- SPDX-License-Identifier: MIT
-- 0005_call_log (PostgreSQL): what the voice call log needs beyond 0001's columns: the agent's
-- phone of an outbound call, how the bridged leg ended (DialCallStatus), who started the call,
-- and the conversation entry written for it (one per call, so repeated callbacks never add a
-- second).
ALTER TABLE calls ADD COLUMN agent_address text;
ALTER TABLE calls ADD COLUMN dial_status text;
ALTER TABLE calls ADD COLUMN created_by text REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE calls ADD COLUMN message_id text REFERENCES messages (id) ON DELETE SET NULL;
ALTER TABLE calls ADD COLUMN entry_kind text;
-- The call list pages on (created_at, id) newest first.
DROP INDEX calls_team_time;
CREATE INDEX calls_team_time ON calls (team_id, created_at, id);
