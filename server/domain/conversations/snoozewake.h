// SPDX-License-Identifier: MIT
#pragma once
// Snoozed conversations wake up on time. Snoozing enqueues a `conversation.wake` job due at the
// snooze's end, in the same transaction; the job re-checks the row (the snooze may have been
// moved or ended since: then it does nothing) and opens the conversation with a
// `conversation.updated` event. Each snooze time has its own job (unique key
// wake:<id>:<time>), so re-snoozing leaves the old job with nothing to do.

#include "core/result.h"
#include "domain/conversations/conversationtypes.h"
#include "storage/dbconnection.h"

namespace SnoozeWake {

inline constexpr char JobKind[] = "conversation.wake";

// In the caller's transaction: the wake-up job of a snoozed conversation (none when one for
// the same time exists already).
[[nodiscard]] Status schedule(DbConnection &db, const Conversation &conversation);

// In the caller's transaction: opens the conversation if it is still snoozed and its time has
// come, and announces it; true when it did.
[[nodiscard]] Result<bool> wakeIfDue(DbConnection &db, const QString &teamId, const QString &id);

// In the caller's transaction: wakes up to `limit` snoozes that are over (a safety net for
// snoozes without a job, e.g. set before this existed); returns how many.
[[nodiscard]] Result<int> wakeOverdue(DbConnection &db, int limit);

} // namespace SnoozeWake
