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
// Inboxes of any team a Twilio webhook may be for: those of the Messaging Service, or of the
// account with one of `addresses` (a webhook's To and From; our number is one of them). Several
// teams may hold the same number, so the caller checks the signature against each.
[[nodiscard]] Result<QList<Inbox>> webhookCandidates(DbConnection &db,
                                                     const QString &messagingServiceSid,
                                                     const QString &accountSid,
                                                     const QStringList &addresses);
// A team's inbox on `channel` at `address` (they are unique together).
[[nodiscard]] Result<std::optional<Inbox>> byAddress(DbConnection &db, const QString &teamId,
                                                     const QString &channel,
                                                     const QString &address);
// The oldest team's id (the default team of a single-team install); nullopt with no team yet.
[[nodiscard]] Result<std::optional<QString>> firstTeamId(DbConnection &db);
[[nodiscard]] Status insert(DbConnection &db, const Inbox &inbox);
// Writes every mutable column of `inbox` (and updated_at).
[[nodiscard]] Status update(DbConnection &db, const Inbox &inbox);
// True when a row was deleted.
[[nodiscard]] Result<bool> remove(DbConnection &db, const QString &teamId, const QString &id);
// The team's inboxes `userId` owns (personal inboxes: the original's per-user Twilio number),
// oldest first.
[[nodiscard]] Result<QList<Inbox>> ownedBy(DbConnection &db, const QString &teamId,
                                           const QString &userId);

// For another store's SELECT that joins inboxes (DeliveryStore): the columns of table `alias`,
// each named `prefix` + column so they cannot clash with the other tables', and the inbox read
// back from such a row.
[[nodiscard]] QString columns(const QString &alias, const QString &prefix);
[[nodiscard]] Inbox inboxFrom(const SqlRow &row, const QString &prefix = {});

} // namespace InboxStore
