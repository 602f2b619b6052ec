// SPDX-License-Identifier: MIT
#pragma once
// The database threads. Each thread opens and owns one connection (a QSqlDatabase must stay on
// the thread that opened it); work is queued to them and its result comes back on the caller's
// thread. SQLite: one writer thread (SQLite has one writer anyway) and reader threads (WAL lets
// them read while it writes). PostgreSQL: a small pool that takes both.

#include "core/result.h"
#include "storage/dbconnection.h"
#include "storage/dialect.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

enum class DbAccess { Read, Write };

class Database : public QObject
{
    Q_OBJECT
public:
    // Opens the threads and checks every connection opened. `threads` = 0 picks the default;
    // so does `groupThreads` = 0 (PostgreSQL: the threads, and partitions, of grouped writes).
    [[nodiscard]] static Result<std::unique_ptr<Database>> open(const QString &databaseUrl,
                                                                int threads = 0,
                                                                int groupThreads = 0);
    ~Database() override;

    [[nodiscard]] Dialect dialect() const { return m_dialect; }

    // Runs `work` on a database thread, then `done` with its result on `context`'s thread
    // (dropped if `context` is gone).
    template<typename T>
    void run(DbAccess access, std::function<Result<T>(DbConnection &)> work, QObject *context,
             std::function<void(Result<T>)> done)
    {
        enqueue(access, settled<T>(std::move(work), context, std::move(done),
                                   access == DbAccess::Write ? &m_generation : nullptr));
    }

    // A write that may share its commit with other grouped writes (group commit: one fsync for
    // many small use cases, e.g. a burst of webhooks). `work` behaves as if alone: if it fails,
    // the group is rolled back and every one of its jobs runs again on its own, so `work` must
    // touch nothing but the database (it may run twice). `done` runs only after the commit that
    // holds its writes is durable (or with that commit's error). Writes with the same
    // `partitionKey` run in order on one thread; different keys may run in parallel groups.
    template<typename T>
    void runGrouped(const QString &partitionKey, std::function<Result<T>(DbConnection &)> work,
                    QObject *context, std::function<void(Result<T>)> done)
    {
        enqueueGrouped(partitionKey,
                       settled<T>(std::move(work), context, std::move(done), &m_generation));
    }

    // Runs `work` on a database thread and blocks until it is done: for the CLI and start-up,
    // never on the HTTP thread.
    template<typename T>
    [[nodiscard]] Result<T> runBlocking(DbAccess access, std::function<Result<T>(DbConnection &)> work)
    {
        std::optional<Result<T>> result;
        runAndWait(access, [&](DbConnection &c) { result.emplace(work(c)); });
        return std::move(*result);
    }

    // A number that grows after every write this process committed and every commit another
    // instance announced (PostgreSQL NOTIFY): what was read while it stayed the same is still
    // what the database holds, but for changes made behind this program's back (the ReadCache's
    // max age covers those). Any thread.
    [[nodiscard]] quint64 dataGeneration() const { return m_generation.load(std::memory_order_acquire); }
    // Another instance committed (its NOTIFY was heard): advances the data generation. Any thread.
    void noteCommitElsewhere() { m_generation.fetch_add(1, std::memory_order_acq_rel); }

    // Stops the threads after the queued work is done; connections are closed on their threads.
    void close();

    // PostgreSQL: lets every other instance know that events up to `lastEventId` (0: none) or
    // jobs were committed (NOTIFY, coalesced). Any thread; a no-op on SQLite.
    void tellOtherInstances(qint64 lastEventId, bool jobs);

Q_SIGNALS:
    // Emitted (on the Database's thread) after a transaction that wrote events committed.
    void eventsCommitted(qint64 upToEventId);
    // Emitted (on the Database's thread) after a transaction that enqueued jobs committed.
    void jobsCommitted();

private:
    struct Private;
    explicit Database(Dialect dialect);
    void enqueue(DbAccess access, std::function<void(DbConnection &)> job);
    void enqueueGrouped(const QString &partitionKey, std::function<void(DbConnection &)> job);

    // The job that runs `work` and answers `done` on `context`'s thread once its result is
    // settled (committed, when it ran in a group). A write advances `generation` first, after its
    // commit and before anyone hears of it, so a reader that saw the old generation cannot keep
    // what it read as current.
    template<typename T>
    static std::function<void(DbConnection &)> settled(std::function<Result<T>(DbConnection &)> work,
                                                        QObject *context,
                                                        std::function<void(Result<T>)> done,
                                                        std::atomic<quint64> *generation)
    {
        QPointer<QObject> guard(context);
        return [work = std::move(work), guard, done = std::move(done), generation](DbConnection &c) {
            auto result = std::make_shared<Result<T>>(work(c));
            const bool ok = result->ok();
            c.settleJob(
                ok,
                [guard, done, result, generation] {
                    if (generation) {
                        generation->fetch_add(1, std::memory_order_acq_rel);
                    }
                    if (guard) {
                        QMetaObject::invokeMethod(guard, [done, result] { done(std::move(*result)); });
                    }
                },
                [guard, done, generation](const ApiError &error) {
                    if (generation) {
                        // a write outside a transaction may have done part of its work
                        generation->fetch_add(1, std::memory_order_acq_rel);
                    }
                    if (guard) {
                        QMetaObject::invokeMethod(guard, [done, error] { done(Result<T>(error)); });
                    }
                });
        };
    }
    void runAndWait(DbAccess access, const std::function<void(DbConnection &)> &job);

    Dialect m_dialect;
    std::atomic<quint64> m_generation{1};
    std::unique_ptr<Private> d;
};

// Opens a connection named `name` on the calling thread from a normalised DATABASE_URL.
[[nodiscard]] Result<QSqlDatabase> openConnection(const QString &databaseUrl, const QString &name);
