// SPDX-License-Identifier: MIT
#pragma once
// SQL for contacts: reads, writes, the list's keyset pages and a merge's moves. Runs on a
// database thread; knows nothing of HTTP. Callers own the transaction.

#include "core/result.h"
#include "domain/contacts/contacttypes.h"
#include "domain/page.h"
#include "storage/dbconnection.h"

namespace ContactStore {

// The team settings document (`{}` when the team has none).
[[nodiscard]] Result<QJsonObject> teamSettings(DbConnection &db, const QString &teamId);

[[nodiscard]] Result<std::optional<Contact>> byId(DbConnection &db, const QString &teamId,
                                                  const QString &contactId);
// Newest first by (created_at, id); `page.after` holds the last row's ISO created_at and id.
[[nodiscard]] Result<Page<Contact>> list(DbConnection &db, const QString &teamId,
                                         const ContactFilter &filter, const PageRequest &page);
// Every contact not merged away, oldest first (the export).
[[nodiscard]] Result<QList<Contact>> allLive(DbConnection &db, const QString &teamId);

// The live (not merged) contact holding `phone`, if any.
[[nodiscard]] Result<std::optional<Contact>> liveByPhone(DbConnection &db, const QString &teamId,
                                                         const QString &phone);
// The live contacts holding any of `phones` or `emails`, each once, oldest first: a batch's
// lookups in a few indexed queries instead of one or two per row.
[[nodiscard]] Result<QList<Contact>> liveMatching(DbConnection &db, const QString &teamId,
                                                  const QStringList &phones,
                                                  const QStringList &emails);

[[nodiscard]] Status insert(DbConnection &db, const Contact &contact);
// Writes name, phone, email, attributes, the opt-out and updated_at.
[[nodiscard]] Status update(DbConnection &db, const Contact &contact);
// Deletes the contact and the contacts merged into it; returns how many rows went.
[[nodiscard]] Result<qint64> remove(DbConnection &db, const QString &teamId,
                                    const QString &contactId);

// A merge's moves: messages, notes, conversations and calls of `fromId` now belong to `toId`,
// contacts merged into `fromId` point to `toId`, and `fromId` is marked merged into `toId`.
[[nodiscard]] Status mergeInto(DbConnection &db, const QString &teamId, const QString &fromId,
                               const QString &toId);

} // namespace ContactStore
