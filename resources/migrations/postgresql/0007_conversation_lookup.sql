-- SPDX-License-Identifier: MIT
-- 0007_conversation_lookup (PostgreSQL): a contact's latest conversation on a channel (every inbound message
-- and every send asks) in one index range. Without it the planner walked the team's whole
-- activity index looking for the contact. It also serves what conversations_contact did.
CREATE INDEX conversations_contact_recent
    ON conversations (contact_id, channel, last_message_at DESC, id DESC);
DROP INDEX conversations_contact;
