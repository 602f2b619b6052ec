// SPDX-License-Identifier: MIT
#pragma once
// One database connection, owned by the thread that opened it (STYLE.md habit 9). Use cases get
// a DbConnection& on a database thread; prepared statements are cached per connection.

#include "core/result.h"
#include "storage/dialect.h"
#include "storage/sqlrow.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>

#include <functional>
#include <memory>
#include <vector>

class DbConnection
{
public:
    DbConnection(QSqlDatabase db, Dialect dialect);
    ~DbConnection();
    Q_DISABLE_COPY_MOVE(DbConnection)

    [[nodiscard]] Dialect dialect() const { return m_dialect; }
    [[nodiscard]] QSqlDatabase &database() { return m_db; }

    // Runs a statement that returns rows (SELECT, or anything with RETURNING).
    [[nodiscard]] Result<SqlRows> query(const QString &sql, const QVariantList &binds = {});
    // The first row, or nullopt when there is none.
    [[nodiscard]] Result<std::optional<SqlRow>> queryOne(const QString &sql,
                                                         const QVariantList &binds = {});
    // Runs a statement without rows; returns the number of rows affected.
    [[nodiscard]] Result<qint64> exec(const QString &sql, const QVariantList &binds = {});

    // Transactions: BEGIN IMMEDIATE on SQLite (take the write lock up front, no upgrade deadlock).
    [[nodiscard]] Status begin();
    [[nodiscard]] Status commit();
    void rollback();
    [[nodiscard]] bool inTransaction() const { return m_inTransaction; }

    // Serialises read-check-write steps on one key (e.g. "team:<id>") until the transaction
    // ends: a PostgreSQL advisory transaction lock; on SQLite nothing is needed, since
    // BEGIN IMMEDIATE already lets one writer in at a time.
    [[nodiscard]] Status lockKey(const QString &key);

    // Group commit (Database::runGrouped): several jobs share one transaction, so one fsync'd
    // commit answers them all. Optimistic: no savepoint per job (SQLite's FTS5 flushes its
    // pending index data at every savepoint, and PostgreSQL's subtransactions cost too); while a
    // group is open a job's begin()/commit() only mark its part, and a job that fails (an error
    // result, or a rollback()) fails the group: the database thread then rolls the whole group
    // back and runs each of its jobs again on its own.
    [[nodiscard]] Status beginGroup();
    void endGroupMember();
    [[nodiscard]] bool groupFailed() const { return m_groupFailed; }
    // Commits the group and hands each job its answer (or the commit's error).
    [[nodiscard]] Status commitGroup();
    // Rolls a failed group back; the answers it held are dropped (its jobs run again alone).
    void abandonGroup();
    [[nodiscard]] bool inGroup() const { return m_inGroup; }
    // How a job hands its answer over: at once outside a group; inside one, after the group's
    // commit (`committed`), or with the commit's error (`failed`) if that commit fails. A job
    // whose result is an error (`ok` false) fails the group.
    void settleJob(bool ok, std::function<void()> committed,
                   std::function<void(const ApiError &)> failed);

    // Highest events.id written in the current transaction (0 if none); the database notifies
    // the dispatcher after the commit.
    void noteEventWritten(qint64 id) { m_lastEventId = std::max(m_lastEventId, id); }
    [[nodiscard]] qint64 takeCommittedEventId();
    // Whether the last commit(s) since asked wrote jobs, so the job runner is woken at once.
    void noteJobWritten() { m_jobWritten = true; }
    [[nodiscard]] bool takeCommittedJobs() { return std::exchange(m_committedJobs, false); }

    // Channels every instance listens on (PostgreSQL): after commits that wrote events, the
    // database notifies `inbox_events` with the highest event id; after ones that enqueued
    // jobs, `inbox_jobs` (Database, coalesced, outside the transactions).
    static constexpr auto EventsChannel = "inbox_events";
    static constexpr auto JobsChannel = "inbox_jobs";

private:
    [[nodiscard]] Result<QSqlQuery *> run(const QString &sql, const QVariantList &binds);

    QSqlDatabase m_db;
    Dialect m_dialect;
    QHash<QString, QSqlQuery *> m_statements;
    QHash<const QSqlQuery *, std::shared_ptr<const QStringList>> m_columnNames; // by statement
    bool m_inTransaction = false;
    bool m_inGroup = false;
    bool m_groupFailed = false;
    bool m_jobWritten = false;
    bool m_committedJobs = false;
    std::vector<std::pair<std::function<void()>, std::function<void(const ApiError &)>>> m_settled;
    qint64 m_lastEventId = 0;
    qint64 m_committedEventId = 0;
};

// Rolls back unless committed (Cutelyst's habit).
class Transaction
{
public:
    explicit Transaction(DbConnection &connection) : m_connection(connection) { }
    ~Transaction()
    {
        if (m_open) {
            m_connection.rollback();
        }
    }
    Q_DISABLE_COPY_MOVE(Transaction)

    [[nodiscard]] Status begin()
    {
        Status status = m_connection.begin();
        m_open = status.ok();
        return status;
    }
    [[nodiscard]] Status commit()
    {
        m_open = false;
        return m_connection.commit();
    }

private:
    DbConnection &m_connection;
    bool m_open = false;
};

// Runs `work` as one transaction: begin, work, commit; any error (from `work` or the commit)
// rolls it back whole. A use case's database step is one call of this.
template<typename T, typename Work>
[[nodiscard]] Result<T> runInTransaction(DbConnection &db, Work &&work)
{
    Transaction transaction(db);
    if (Status begun = transaction.begin(); !begun) {
        return begun.error();
    }
    Result<T> result = work();
    if (!result) {
        return result;
    }
    if (Status committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return result;
}

// A database failure as an ApiError (500; the driver text goes to the log, not to the client).
[[nodiscard]] ApiError databaseError(const QString &what, const QString &driverText);
// True for unique-constraint violations, so use cases can answer 409 instead of 500.
[[nodiscard]] bool isUniqueViolation(const ApiError &error);
