// SPDX-License-Identifier: MIT
#pragma once
// SQL for notes. Runs on a database thread; callers own the transaction. Visibility is part of
// every read: a private note is returned to its author only.

#include "core/result.h"
#include "domain/notes/notetypes.h"
#include "domain/page.h"
#include "storage/dbconnection.h"

namespace NoteStore {

[[nodiscard]] Status insert(DbConnection &db, const Note &note);
// The note if it is in the team and `viewerId` may see it.
[[nodiscard]] Result<std::optional<Note>> byId(DbConnection &db, const QString &teamId,
                                               const QString &id, const QString &viewerId);
// Newest first, keyset on (created_at, id); the cursor's key must be checked (checkTimeCursor).
[[nodiscard]] Result<Page<Note>> list(DbConnection &db, const QString &teamId,
                                      const QString &viewerId, const NoteFilter &filter,
                                      const PageRequest &page);
[[nodiscard]] Status update(DbConnection &db, const Note &note);
[[nodiscard]] Status remove(DbConnection &db, const QString &teamId, const QString &id);

} // namespace NoteStore
