// SPDX-License-Identifier: MIT
#pragma once
// The two SQL dialects the server speaks. Each has its own migrations folder and, where the SQL
// differs, its own statements.

#include <QString>

class QSqlDatabase;

enum class Dialect { Sqlite, Postgres };

// Sqlite for a QSQLITE connection, Postgres for QPSQL (and, as a fallback, anything else).
[[nodiscard]] Dialect dialectOf(const QSqlDatabase &db);
// "sqlite" or "postgresql": the name of the dialect's migrations folder, and for logs and tests.
[[nodiscard]] QString dialectName(Dialect dialect);
