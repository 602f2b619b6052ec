// SPDX-License-Identifier: MIT
#pragma once
// The settings every SQLite connection of the server runs with. Pragmas are per connection, so
// whoever opens one calls this right after open(), before any transaction.

#include "core/result.h"

class QSqlDatabase;

// journal_mode=WAL (readers never block the writer; checked: the database must answer "wal",
// except an in-memory database, which answers "memory"), foreign_keys=ON (checked),
// synchronous=FULL (a webhook is answered only once its row survives a power cut; ARCHITECTURE.md
// "Threads" has the cost), busy_timeout=5000 ms. Fails with a 500 "database-setup-failed".
[[nodiscard]] Status applySqlitePragmas(QSqlDatabase &db);
