// SPDX-License-Identifier: MIT
#pragma once
// The steps every voice webhook shares inside its transaction: find and lock the call it is
// about, move its state forward, bring its conversation entry up to date, and store it with its
// `call.updated` event.

#include "core/result.h"
#include "domain/calls/calltypes.h"
#include "storage/dbconnection.h"

namespace CallLog {

// Stores a new call with its `call.updated` event.
[[nodiscard]] Status insert(DbConnection &db, const Call &call);
// Stores every change of `call` (updatedAt set now) with its `call.updated` event.
[[nodiscard]] Status save(DbConnection &db, Call &call);

// The call a webhook is about, by CallSid, else by our id from the callback URL (an outbound
// call before Twilio's answer named its sid). Another team's call is not found. The row is
// locked for the transaction and read again after the lock, so concurrent callbacks of one call
// apply one after the other (PostgreSQL; SQLite has one writer anyway).
[[nodiscard]] Result<std::optional<Call>> lockedCall(DbConnection &db, const QString &teamId,
                                                     const CallWebhook &hook);
// Locks a call we know by id (and Twilio's sid, when known) the same way, and reads it again.
[[nodiscard]] Result<std::optional<Call>> relock(DbConnection &db, const Call &call,
                                                 const QString &callSid);

// Twilio's sid for a call we created before Twilio named it. True when it changed.
bool bindSid(Call &call, const QString &callSid);
// Forward only: a late "ringing" after "completed" changes nothing. True when it changed.
bool applyStatus(Call &call, const QString &status, std::optional<qint64> duration);

// Writes or upgrades the call's conversation entry to what is known by now, then stores the call
// if anything changed (`changed`: the caller changed it already).
[[nodiscard]] Status settle(DbConnection &db, Call &call, const CallWebhook &hook, bool changed);

} // namespace CallLog
