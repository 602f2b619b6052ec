// SPDX-License-Identifier: MIT
#pragma once
// From the original's rows to ours, one function per source table: what each column becomes,
// what makes a row unimportable (with the reason), and which of our tables it lands in.
// Pure: no database; parents are checked against ImportState (what the target has now).
//
// Ids are kept (cuids); what has no id of its own gets one derived from its source:
// a conversation "<contactId>.<channel>", a personal inbox "<userId>.sms" / "<userId>.whatsapp".

#include "importer/importrow.h"
#include "importer/importstate.h"
#include "storage/sqlrow.h"

namespace ImportMapping {

// Our tables as the importer writes them.
[[nodiscard]] const TargetTable &users();
[[nodiscard]] const TargetTable &teams();
[[nodiscard]] const TargetTable &members();
[[nodiscard]] const TargetTable &inboxes();
[[nodiscard]] const TargetTable &twilioNumbers();
[[nodiscard]] const TargetTable &contacts();
[[nodiscard]] const TargetTable &conversations();
[[nodiscard]] const TargetTable &messages();
[[nodiscard]] const TargetTable &jobs();
[[nodiscard]] const TargetTable &notes();
[[nodiscard]] const TargetTable &importedEvents();
// Source units without an id of ours (events, per-user Twilio settings) are remembered here.
[[nodiscard]] const TargetTable &importedRows();

[[nodiscard]] QString conversationId(const QString &contactId, const QString &channel);

[[nodiscard]] MappedRow user(const SqlRow &row);
[[nodiscard]] MappedRow team(const SqlRow &row);
[[nodiscard]] MappedRow member(const SqlRow &row, const ImportState &state);
// `User.twilio`: the user's number (user_twilio_numbers) and personal inboxes in their first
// team, the auth token to the secret store.
[[nodiscard]] MappedRow twilioSettings(const SqlRow &row, const ImportState &state);
[[nodiscard]] MappedRow contact(const SqlRow &row, const ImportState &state, const QString &region);
[[nodiscard]] MappedRow conversation(const SqlRow &row, const ImportState &state);
[[nodiscard]] MappedRow message(const SqlRow &row, const ImportState &state);
[[nodiscard]] MappedRow note(const SqlRow &row, const ImportState &state);
[[nodiscard]] MappedRow event(const SqlRow &row, const ImportState &state);

} // namespace ImportMapping
