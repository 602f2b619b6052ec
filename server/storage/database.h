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

#include <functional>
#include <memory>

enum class DbAccess { Read, Write };

class Database : public QObject
{
    Q_OBJECT
public:
    // Opens the threads and checks every connection opened. `threads` = 0 picks the default.
    [[nodiscard]] static Result<std::unique_ptr<Database>> open(const QString &databaseUrl,
                                                                int threads = 0);
    ~Database() override;

    [[nodiscard]] Dialect dialect() const { return m_dialect; }

    // Runs `work` on a database thread, then `done` with its result on `context`'s thread
    // (dropped if `context` is gone).
    template<typename T>
    void run(DbAccess access, std::function<Result<T>(DbConnection &)> work, QObject *context,
             std::function<void(Result<T>)> done)
    {
        QPointer<QObject> guard(context);
        enqueue(access, [work = std::move(work), guard, done = std::move(done)](DbConnection &c) {
            auto result = std::make_shared<Result<T>>(work(c));
            if (guard) {
                QMetaObject::invokeMethod(guard, [guard, done, result] {
                    done(std::move(*result));
                });
            }
        });
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

    // Stops the threads after the queued work is done; connections are closed on their threads.
    void close();

Q_SIGNALS:
    // Emitted (on the Database's thread) after a transaction that wrote events committed.
    void eventsCommitted(qint64 upToEventId);

private:
    struct Private;
    explicit Database(Dialect dialect);
    void enqueue(DbAccess access, std::function<void(DbConnection &)> job);
    void runAndWait(DbAccess access, const std::function<void(DbConnection &)> &job);

    Dialect m_dialect;
    std::unique_ptr<Private> d;
};

// Opens a connection named `name` on the calling thread from a normalised DATABASE_URL.
[[nodiscard]] Result<QSqlDatabase> openConnection(const QString &databaseUrl, const QString &name);
