// SPDX-License-Identifier: MIT
#pragma once
// SQL for the call log (`calls`). Runs on a database thread; callers own the transaction.

#include "core/result.h"
#include "domain/calls/calltypes.h"
#include "domain/page.h"
#include "storage/dbconnection.h"

namespace CallStore {

[[nodiscard]] Status insert(DbConnection &db, const Call &call);
// Writes every mutable column of `call` (and updated_at).
[[nodiscard]] Status update(DbConnection &db, const Call &call);
[[nodiscard]] Result<std::optional<Call>> byId(DbConnection &db, const QString &teamId,
                                               const QString &id);
// By Twilio's CallSid (unique across teams: the caller checks the team).
[[nodiscard]] Result<std::optional<Call>> bySid(DbConnection &db, const QString &callSid);
// A team's calls newest first, keyset on (created_at, id); the cursor's key must be checked
// (checkTimeCursor) before it gets here.
[[nodiscard]] Result<Page<Call>> list(DbConnection &db, const QString &teamId,
                                      const PageRequest &page);

} // namespace CallStore
