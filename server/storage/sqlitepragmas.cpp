// SPDX-License-Identifier: MIT
#include "sqlitepragmas.h"

#include "core/logging.h"

#include <QDeadlineTimer>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

using namespace Qt::StringLiterals;

namespace {

ApiError setupError(const QString &detail)
{
    qCWarning(lcSql) << "SQLite connection setup failed:" << detail;
    return ApiError{500, u"database-setup-failed"_s, u"Database setup failed"_s, detail, {}, 0};
}

constexpr int kBusyTimeoutMs = 5000;

// SQLITE_BUSY or SQLITE_LOCKED, extended codes included.
bool isBusy(const QSqlError &error)
{
    const int code = error.nativeErrorCode().toInt() & 0xff;
    return code == 5 || code == 6;
}

// Runs one pragma and returns the first column of its answer (empty for pragmas that answer
// nothing), or an error naming the pragma. Switching a fresh file to WAL needs an exclusive
// lock, and SQLite answers "database is locked" at once, without its busy handler, when another
// connection opening at the same moment holds a shared one: so busy answers are retried until
// the busy timeout.
Result<QString> pragma(QSqlDatabase &db, const QString &statement)
{
    const QDeadlineTimer deadline(kBusyTimeoutMs);
    for (;;) {
        QSqlQuery query(db);
        if (query.exec(u"PRAGMA "_s + statement)) {
            return query.next() ? query.value(0).toString() : QString();
        }
        const QSqlError error = query.lastError();
        if (!isBusy(error) || deadline.hasExpired()) {
            return setupError(u"PRAGMA "_s + statement + u": "_s + error.text());
        }
        query.finish();
        QThread::msleep(QRandomGenerator::global()->bounded(5, 25));
    }
}

bool isInMemory(const QSqlDatabase &db)
{
    const QString name = db.databaseName();
    return name.isEmpty() || name == u":memory:"_s || name.contains(u"mode=memory"_s);
}

} // namespace

Status applySqlitePragmas(QSqlDatabase &db)
{
    // First, so that every later step waits for other connections instead of failing.
    if (auto set = pragma(db, u"busy_timeout = %1"_s.arg(kBusyTimeoutMs)); !set) {
        return set.error();
    }
    // foreign_keys is a silent no-op inside a transaction, so it is read back.
    if (auto set = pragma(db, u"foreign_keys = ON"_s); !set) {
        return set.error();
    }
    auto foreignKeys = pragma(db, u"foreign_keys"_s);
    if (!foreignKeys) {
        return foreignKeys.error();
    }
    if (foreignKeys.value() != u"1"_s) {
        return setupError(u"PRAGMA foreign_keys answered '%1' instead of 1 (is a transaction open?)"_s
                                  .arg(foreignKeys.value()));
    }

    // journal_mode answers the mode now in force: anything but "wal" means WAL could not be
    // entered (a read-only directory, a network file system, another connection mid-write).
    auto journal = pragma(db, u"journal_mode = WAL"_s);
    if (!journal) {
        return journal.error();
    }
    const QString mode = journal.value().toLower();
    if (mode != u"wal"_s && !(mode == u"memory"_s && isInMemory(db))) {
        return setupError(u"PRAGMA journal_mode = WAL answered '%1'"_s.arg(journal.value()));
    }

    if (auto set = pragma(db, u"synchronous = FULL"_s); !set) {
        return set.error();
    }
    return Done{};
}
