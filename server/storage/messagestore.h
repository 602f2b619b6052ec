// SPDX-License-Identifier: MIT
#pragma once
// SQL for messages. Runs on a database thread; callers own the transaction. Never REPLACE INTO
// messages: the SQLite full-text index follows the rowid through triggers (0001_initial.sql).

#include "core/result.h"
#include "domain/messages/messagetypes.h"
#include "domain/page.h"
#include "storage/dbconnection.h"

namespace MessageStore {

[[nodiscard]] Status insert(DbConnection &db, const Message &message);
[[nodiscard]] Result<std::optional<Message>> byId(DbConnection &db, const QString &teamId,
                                                  const QString &id);
// A conversation's messages newest first, keyset on (created_at, id); the cursor's key must be
// checked (checkTimeCursor) before it gets here.
[[nodiscard]] Result<Page<Message>> listByConversation(DbConnection &db,
                                                       const QString &conversationId,
                                                       const PageRequest &page);
// The latest `limit` messages of a contact, oldest first (the compatible thread view).
[[nodiscard]] Result<QList<Message>> latestOfContact(DbConnection &db, const QString &teamId,
                                                     const QString &contactId, int limit);

} // namespace MessageStore
