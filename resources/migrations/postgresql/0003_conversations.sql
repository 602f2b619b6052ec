-- SPDX-License-Identifier: MIT
-- 0003_conversations (PostgreSQL): the keyset indexes of the conversation list and of the
-- notes, newest first on (time, id). 0001's conversations_team_recent was
-- (last_message_at DESC, id ASC), which cannot serve ORDER BY last_message_at DESC, id DESC
-- without a sort; it is replaced.
-- Sending a message updates last_message_at, so each index here costs a little on every send:
-- only the list's common views get one (all, by status, unread, by assignee).
DROP INDEX conversations_team_recent;
CREATE INDEX conversations_team_activity ON conversations (team_id, last_message_at DESC, id DESC);
CREATE INDEX conversations_team_status_activity
    ON conversations (team_id, status, last_message_at DESC, id DESC);
CREATE INDEX conversations_team_assignee_activity
    ON conversations (team_id, assignee_id, last_message_at DESC, id DESC);
CREATE INDEX conversations_team_unread_activity
    ON conversations (team_id, last_message_at DESC, id DESC) WHERE unread_count > 0;
-- (team_id, created_at) of 0001 is a prefix of this one.
DROP INDEX notes_team_time;
CREATE INDEX notes_team_recent ON notes (team_id, created_at DESC, id DESC);
