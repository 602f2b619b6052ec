-- SPDX-License-Identifier: MIT
-- 0002_contacts: one live contact per phone number in a team (merged contacts keep their number
-- for the record but no longer hold it), and the index of the contact list, newest first.
CREATE UNIQUE INDEX contacts_team_live_phone ON contacts (team_id, phone)
    WHERE phone IS NOT NULL AND merged_into IS NULL;
CREATE INDEX contacts_team_created ON contacts (team_id, created_at DESC, id DESC);
