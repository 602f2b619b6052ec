// SPDX-License-Identifier: MIT
#pragma once
// Brings a database's schema up to date from the numbered SQL files of its dialect
// (resources/migrations/<dialect>/NNNN_name.sql, compiled in under :/migrations/<dialect>/).
// Each file runs in its own transaction together with its row in schema_migrations, so a failed
// file leaves nothing behind and a finished one is never run again. On PostgreSQL the transaction
// first takes an advisory lock, so several instances starting at once migrate once.

#include "core/result.h"
#include "storage/dialect.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

struct Migration
{
    int version = 0;  // the file's number: 1 for 0001_initial.sql
    QString name;     // the file name, "0001_initial.sql"
    QString path;     // where to read it, ":/migrations/sqlite/0001_initial.sql"
};

class Migrator
{
public:
    // The migrations compiled into the program for this dialect.
    explicit Migrator(Dialect dialect);
    // The migrations in another folder (tests; a file system path works too).
    Migrator(Dialect dialect, const QString &folder);

    [[nodiscard]] Dialect dialect() const { return m_dialect; }
    [[nodiscard]] QString folder() const { return m_folder; }

    // Every NNNN_*.sql file of the folder, by number. Other files are ignored.
    [[nodiscard]] QList<Migration> available() const;
    // How many available migrations the database has not recorded yet.
    [[nodiscard]] Result<int> pending(QSqlDatabase &db) const;
    // Applies the pending migrations in order and returns the names applied: empty when there
    // was nothing to do. Stops at the first failure with a 500 "migration-failed" naming the
    // file, the statement number and the driver's text; the migrations before it stay applied.
    [[nodiscard]] Result<QStringList> apply(QSqlDatabase &db) const;

    // The highest version recorded in schema_migrations; 0 for a database never migrated.
    [[nodiscard]] static Result<int> currentVersion(QSqlDatabase &db);

    // The statements of one migration file, in order (the convention is described at the top of
    // every .sql file): "--" lines and blank lines are skipped, a statement ends at a line ending
    // in ";", a CREATE TRIGGER ... BEGIN ... END; block and a $$-quoted body stay whole. The
    // final ";" is dropped.
    [[nodiscard]] static QStringList splitStatements(const QString &sql);

private:
    Dialect m_dialect;
    QString m_folder;
};
