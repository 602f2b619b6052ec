// SPDX-License-Identifier: MIT
#include "dbconnection.h"

#include "core/logging.h"

#include <QSqlError>
#include <QSqlRecord>

using namespace Qt::StringLiterals;

namespace {
const QString kUniqueViolationType = u"database-unique-violation"_s;
}

DbConnection::DbConnection(QSqlDatabase db, Dialect dialect) : m_db(std::move(db)), m_dialect(dialect)
{
}

DbConnection::~DbConnection()
{
    // Statements before the connection: the driver frees them through it.
    qDeleteAll(m_statements);
    m_statements.clear();
    m_db.close();
}

Status DbConnection::lockKey(const QString &key)
{
    Q_ASSERT_X(m_inTransaction, "DbConnection::lockKey", "a lock key lives as long as a transaction");
    if (m_dialect == Dialect::Sqlite) {
        return Done{};
    }
    Result<qint64> locked = exec(u"SELECT pg_advisory_xact_lock(hashtext(?))"_s, {key});
    if (!locked) {
        return locked.error();
    }
    return Done{};
}

Result<QSqlQuery *> DbConnection::run(const QString &sql, const QVariantList &binds)
{
    QSqlQuery *query = m_statements.value(sql);
    if (!query) {
        query = new QSqlQuery(m_db);
        query->setForwardOnly(true);
        if (!query->prepare(sql)) {
            const QString text = query->lastError().text();
            delete query;
            return databaseError(u"prepare"_s, text + u" in: "_s + sql.left(200));
        }
        m_statements.insert(sql, query);
    }
    for (qsizetype i = 0; i < binds.size(); ++i) {
        query->bindValue(int(i), binds.at(i));
    }
    if (!query->exec()) {
        const QSqlError error = query->lastError();
        query->finish();
        ApiError apiError = databaseError(u"query"_s, error.text() + u" in: "_s + sql.left(200));
        // SQLite: "UNIQUE constraint failed"; PostgreSQL: SQLSTATE 23505.
        if (error.nativeErrorCode() == u"23505"_s || error.nativeErrorCode() == u"2067"_s
            || error.nativeErrorCode() == u"1555"_s
            || error.databaseText().contains(u"UNIQUE constraint failed"_s)) {
            apiError.type = kUniqueViolationType;
        }
        return apiError;
    }
    return query;
}

Result<SqlRows> DbConnection::query(const QString &sql, const QVariantList &binds)
{
    Result<QSqlQuery *> ran = run(sql, binds);
    if (!ran) {
        return ran.error();
    }
    QSqlQuery *query = ran.value();
    // A statement's columns never change: read their names once (the driver's record() builds
    // a field object per column on every call).
    std::shared_ptr<const QStringList> &columns = m_columnNames[query];
    if (!columns || columns->isEmpty()) {
        const QSqlRecord record = query->record();
        auto names = std::make_shared<QStringList>();
        names->reserve(record.count());
        for (int i = 0; i < record.count(); ++i) {
            names->append(record.fieldName(i));
        }
        columns = std::move(names);
    }
    const int count = int(columns->size());
    SqlRows rows;
    while (query->next()) {
        QVariantList values;
        values.reserve(count);
        for (int i = 0; i < count; ++i) {
            values.append(query->value(i));
        }
        rows.append(SqlRow(columns, std::move(values)));
    }
    query->finish();
    return rows;
}

Result<std::optional<SqlRow>> DbConnection::queryOne(const QString &sql, const QVariantList &binds)
{
    Result<SqlRows> rows = query(sql, binds);
    if (!rows) {
        return rows.error();
    }
    if (rows->isEmpty()) {
        return std::optional<SqlRow>();
    }
    return std::optional<SqlRow>(rows->first());
}

Result<qint64> DbConnection::exec(const QString &sql, const QVariantList &binds)
{
    Result<QSqlQuery *> ran = run(sql, binds);
    if (!ran) {
        return ran.error();
    }
    const qint64 affected = ran.value()->numRowsAffected();
    ran.value()->finish();
    return affected;
}

Status DbConnection::begin()
{
    if (m_inTransaction) {
        return databaseError(u"begin"_s, u"transaction already open"_s);
    }
    if (m_inGroup) {
        m_inTransaction = true; // the job's part of the group's transaction
        return Done{};
    }
    QSqlQuery query(m_db);
    const QString sql = m_dialect == Dialect::Sqlite ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s;
    if (!query.exec(sql)) {
        return databaseError(u"begin"_s, query.lastError().text());
    }
    m_inTransaction = true;
    m_lastEventId = 0;
    return Done{};
}

Status DbConnection::commit()
{
    if (m_inGroup) {
        m_inTransaction = false; // made durable by commitGroup()
        return Done{};
    }
    QSqlQuery query(m_db);
    if (!query.exec(u"COMMIT"_s)) {
        const QString text = query.lastError().text();
        rollback();
        return databaseError(u"commit"_s, text);
    }
    m_inTransaction = false;
    m_committedEventId = std::max(m_committedEventId, m_lastEventId);
    m_lastEventId = 0;
    m_committedJobs |= std::exchange(m_jobWritten, false);
    return Done{};
}

void DbConnection::rollback()
{
    if (!m_inTransaction) {
        return;
    }
    if (m_inGroup) {
        m_inTransaction = false;
        m_groupFailed = true; // the whole group is rolled back and its jobs run alone
        return;
    }
    QSqlQuery query(m_db);
    if (!query.exec(u"ROLLBACK"_s)) {
        qCWarning(lcSql) << "rollback failed:" << query.lastError().text();
    }
    m_inTransaction = false;
    m_lastEventId = 0;
    m_jobWritten = false;
}

Status DbConnection::beginGroup()
{
    if (Status begun = begin(); !begun) {
        return begun;
    }
    m_inTransaction = false; // jobs mark their own parts
    m_inGroup = true;
    m_groupFailed = false;
    m_settled.clear();
    return Done{};
}

void DbConnection::endGroupMember()
{
    if (m_inTransaction) {
        qCWarning(lcSql) << "a grouped database job left its transaction open";
        m_inTransaction = false;
        m_groupFailed = true;
    }
}

void DbConnection::settleJob(bool ok, std::function<void()> committed,
                             std::function<void(const ApiError &)> failed)
{
    if (!m_inGroup) {
        committed();
        return;
    }
    if (!ok) {
        m_groupFailed = true;
    }
    m_settled.emplace_back(std::move(committed), std::move(failed));
}

Status DbConnection::commitGroup()
{
    m_inGroup = false;
    m_inTransaction = true;
    auto settled = std::exchange(m_settled, {});
    Status committed = commit();
    for (auto &[onCommitted, onFailed] : settled) {
        if (committed) {
            onCommitted();
        } else {
            onFailed(committed.error());
        }
    }
    return committed;
}

void DbConnection::abandonGroup()
{
    m_inGroup = false;
    m_inTransaction = true;
    m_settled.clear();
    rollback();
    m_groupFailed = false;
}

qint64 DbConnection::takeCommittedEventId()
{
    return std::exchange(m_committedEventId, 0);
}

ApiError databaseError(const QString &what, const QString &driverText)
{
    qCWarning(lcSql).noquote() << "database" << what << "failed:" << driverText;
    return ApiError{500, u"database-error"_s, u"Database error"_s,
                    u"The database could not complete the request."_s, {}, 0};
}

bool isUniqueViolation(const ApiError &error)
{
    return error.type == kUniqueViolationType;
}
