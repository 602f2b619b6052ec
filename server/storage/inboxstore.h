// SPDX-License-Identifier: MIT
#pragma once
// SQL for inboxes. Runs on a database thread; callers own the transaction. The credentials
// themselves are never here: only their SecretStore reference (credentials_ref).

#include "core/result.h"
#include "domain/inboxes/inboxtypes.h"
#include "domain/page.h"
#include "storage/dbconnection.h"

namespace InboxStore {

// A team's inboxes, oldest first, keyset on (created_at, id).
[[nodiscard]] Result<Page<Inbox>> list(DbConnection &db, const QString &teamId,
                                       const PageRequest &page);
[[nodiscard]] Result<std::optional<Inbox>> byId(DbConnection &db, const QString &teamId,
                                                const QString &id);
// The team's inboxes that name an account SID and a credentials reference, oldest first (at
// most `limit`): where a team's Twilio credentials may be found.
[[nodiscard]] Result<QList<Inbox>> withCredentials(DbConnection &db, const QString &teamId,
                                                   int limit);
// A unique violation (team, channel, address) comes back as such: see isUniqueViolation().
[[nodiscard]] Status insert(DbConnection &db, const Inbox &inbox);
// Writes every mutable column of `inbox` (and updated_at).
[[nodiscard]] Status update(DbConnection &db, const Inbox &inbox);
// True when a row was deleted.
[[nodiscard]] Result<bool> remove(DbConnection &db, const QString &teamId, const QString &id);

} // namespace InboxStore
