// SPDX-License-Identifier: MIT
#include "database.h"

#include "core/logging.h"
#include "core/metrics.h"
#include "storage/sqlitepragmas.h"

#include <deque>
#include <QElapsedTimer>
#include <QMutex>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>
#include <QWaitCondition>

#include <atomic>
#include <semaphore>

using namespace Qt::StringLiterals;

namespace {

// QSqlDatabase::addDatabase is not thread-safe on Qt 6.4 (STYLE.md habit 9).
QMutex g_addDatabaseMutex;
std::atomic_int g_connectionCounter = 0;

constexpr int kPostgresGroupThreads = 4;
constexpr int kListenHealthMs = 5000; // how often the LISTEN connection is checked

// At most this many jobs share one group commit: enough to amortise the fsync, few enough that
// the first job's answer does not wait long for the last one's work.
constexpr qsizetype kMaxGroup = 64;

struct QueuedJob
{
    std::function<void(DbConnection &)> run;
    bool groupable = false;
};

// A queue shared by the threads of one role; a job is taken by whichever thread is free.
class JobQueue
{
public:
    explicit JobQueue(const char *name) : m_name(name) { }

    void push(std::function<void(DbConnection &)> job, bool groupable = false)
    {
        QMutexLocker lock(&m_mutex);
        m_jobs.push_back(QueuedJob{std::move(job), groupable});
        Metrics::instance().setDatabaseQueueDepth(m_name, double(m_jobs.size()));
        m_ready.wakeOne();
    }

    // Blocks until a job is there, then takes it, and with a groupable job every groupable job
    // queued right behind it (up to kMaxGroup). Empty once closed and drained.
    std::vector<QueuedJob> pop()
    {
        QMutexLocker lock(&m_mutex);
        while (m_jobs.empty() && !m_closed) {
            m_ready.wait(&m_mutex);
        }
        std::vector<QueuedJob> taken;
        if (m_jobs.empty()) {
            return taken;
        }
        taken.push_back(std::move(m_jobs.front()));
        m_jobs.pop_front();
        if (taken.front().groupable) {
            while (!m_jobs.empty() && m_jobs.front().groupable && qsizetype(taken.size()) < kMaxGroup) {
                taken.push_back(std::move(m_jobs.front()));
                m_jobs.pop_front();
            }
        }
        Metrics::instance().setDatabaseQueueDepth(m_name, double(m_jobs.size()));
        return taken;
    }

    // Ends the queue. Jobs not started yet are dropped (returns how many): at shutdown their
    // clients are gone, and a job that never ran committed nothing.
    qsizetype close()
    {
        QMutexLocker lock(&m_mutex);
        m_closed = true;
        const qsizetype dropped = qsizetype(m_jobs.size());
        m_jobs.clear();
        m_ready.wakeAll();
        return dropped;
    }

    const char *name() const { return m_name; }

private:
    const char *m_name;
    QMutex m_mutex;
    QWaitCondition m_ready;
    std::deque<QueuedJob> m_jobs;
    bool m_closed = false;
};

class DbThread : public QThread
{
public:
    DbThread(QString url, JobQueue *queue, Database *owner)
        : m_url(std::move(url)), m_queue(queue), m_owner(owner)
    {
    }

    // Filled by the thread once its connection is open (or failed); read after `opened` fires.
    QString openError;
    std::binary_semaphore opened{0};

protected:
    void run() override
    {
        const QString name = u"inbox-db-%1-%2"_s.arg(QString::fromLatin1(m_queue->name()))
                                 .arg(g_connectionCounter.fetch_add(1));
        setObjectName(name);
        {
            Result<QSqlDatabase> db = openConnection(m_url, name);
            if (!db) {
                openError = db.error().detail;
                opened.release();
            } else {
                DbConnection connection(db.value(), dialectOf(db.value()));
                opened.release();
                serve(connection);
            }
        }
        QMutexLocker lock(&g_addDatabaseMutex);
        QSqlDatabase::removeDatabase(name);
    }

private:
    // Runs jobs until the queue is closed and empty.
    void serve(DbConnection &connection)
    {
        for (std::vector<QueuedJob> jobs = m_queue->pop(); !jobs.empty(); jobs = m_queue->pop()) {
            QElapsedTimer timer;
            timer.start();
            if (jobs.size() > 1) {
                runGroup(connection, jobs);
            } else {
                runAlone(connection, jobs.front());
            }
            Metrics::instance().observeDatabase(m_queue->name(), double(timer.nsecsElapsed()) / 1e9);
            const bool jobsWritten = connection.takeCommittedJobs();
            const qint64 lastEventId = connection.takeCommittedEventId();
            if (jobsWritten || lastEventId > 0) {
                m_owner->tellOtherInstances(lastEventId, jobsWritten);
            }
            if (jobsWritten) {
                QMetaObject::invokeMethod(m_owner, [owner = QPointer<Database>(m_owner)] {
                    if (owner) {
                        Q_EMIT owner->jobsCommitted();
                    }
                });
            }
            if (const qint64 eventId = lastEventId; eventId > 0) {
                QMetaObject::invokeMethod(m_owner, [owner = QPointer<Database>(m_owner), eventId] {
                    if (owner) {
                        Q_EMIT owner->eventsCommitted(eventId);
                    }
                });
            }
        }
    }

    static void runAlone(DbConnection &connection, QueuedJob &job)
    {
        job.run(connection);
        if (connection.inTransaction()) {
            qCWarning(lcSql) << "a database job left a transaction open; rolled back";
            connection.rollback();
        }
    }

    // One transaction for all, answers sent after the one commit. If any job fails, the group
    // is rolled back and every job runs again alone, so a failure only ever undoes its own work.
    static void runGroup(DbConnection &connection, std::vector<QueuedJob> &jobs)
    {
        if (Status begun = connection.beginGroup(); !begun) {
            for (QueuedJob &job : jobs) {
                runAlone(connection, job);
            }
            return;
        }
        for (QueuedJob &job : jobs) {
            job.run(connection);
            connection.endGroupMember();
            if (connection.groupFailed()) {
                break;
            }
        }
        if (connection.groupFailed()) {
            connection.abandonGroup();
            Metrics::instance().countEvent("db_group_rerun_alone");
            for (QueuedJob &job : jobs) {
                runAlone(connection, job);
            }
            return;
        }
        Metrics::instance().observeGroupCommit(double(jobs.size()));
        (void)connection.commitGroup();
    }

    QString m_url;
    JobQueue *m_queue;
    Database *m_owner;
};

// PostgreSQL: one connection that LISTENs, on a thread with an event loop (the driver reads
// notifications through a socket notifier). Another instance's commit that wrote events or
// enqueued jobs arrives here and is announced like a local one, so its clients and its job
// runner hear of it at once.
class ListenThread : public QThread
{
public:
    ListenThread(QString url, Database *owner) : m_url(std::move(url)), m_owner(owner) { }

    QString openError;
    std::binary_semaphore opened{0};

    // Any thread: tells the other instances, after the fact and coalesced (one NOTIFY per
    // burst, from this connection, outside the writers' transactions: a NOTIFY inside a
    // transaction serialises every committing session on PostgreSQL's notify queue lock).
    void post(qint64 eventId, bool jobs)
    {
        qint64 seen = m_pendingEventId.load();
        while (eventId > seen && !m_pendingEventId.compare_exchange_weak(seen, eventId)) { }
        if (jobs) {
            m_pendingJobs = true;
        }
        QObject *notifier = m_notifier.load();
        if (notifier && !m_flushQueued.exchange(true)) {
            QMetaObject::invokeMethod(notifier, m_flush);
        }
    }

protected:
    void run() override
    {
        const QString name = u"inbox-db-listen-%1"_s.arg(g_connectionCounter.fetch_add(1));
        setObjectName(name);
        {
            Result<QSqlDatabase> db = openConnection(m_url, name);
            if (!db) {
                openError = db.error().detail;
                opened.release();
            } else {
                QSqlDriver *driver = db->driver();
                const QString events = QString::fromLatin1(DbConnection::EventsChannel);
                const QString jobs = QString::fromLatin1(DbConnection::JobsChannel);
                if (!driver->subscribeToNotification(events) || !driver->subscribeToNotification(jobs)) {
                    openError = u"cannot LISTEN: "_s + driver->lastError().text();
                    opened.release();
                } else {
                    QPointer<Database> owner(m_owner);
                    QObject::connect(driver, &QSqlDriver::notification, driver,
                                     [owner, events](const QString &channel,
                                                     QSqlDriver::NotificationSource,
                                                     const QVariant &payload) {
                        const bool isEvents = channel == events;
                        const qint64 upTo = payload.toString().toLongLong();
                        if (isEvents && owner) {
                            owner->noteCommitElsewhere();
                        }
                        QMetaObject::invokeMethod(owner, [owner, isEvents, upTo] {
                            if (!owner) {
                                return;
                            }
                            if (isEvents && upTo > 0) {
                                Q_EMIT owner->eventsCommitted(upTo);
                            } else if (!isEvents) {
                                Q_EMIT owner->jobsCommitted();
                            }
                        });
                    });
                    QObject notifier;
                    QSqlDatabase connection = db.value();
                    m_flush = [this, connection]() mutable {
                        m_flushQueued = false;
                        const qint64 upTo = m_pendingEventId.exchange(0);
                        const bool jobs = m_pendingJobs.exchange(false);
                        QSqlQuery notify(connection);
                        // Not prepared: a one-off prepared statement costs PREPARE, EXECUTE and
                        // DEALLOCATE, three round trips for every burst. The payload is a number.
                        if (upTo > 0
                            && !notify.exec(u"SELECT pg_notify('inbox_events', '%1')"_s.arg(upTo))) {
                            qCWarning(lcSql) << "NOTIFY failed:" << notify.lastError().text();
                        }
                        if (jobs && !notify.exec(u"SELECT pg_notify('inbox_jobs', '')"_s)) {
                            qCWarning(lcSql) << "NOTIFY failed:" << notify.lastError().text();
                        }
                    };
                    m_notifier = &notifier;
                    // A connection PostgreSQL dropped (a restart, a terminated backend) hears
                    // nothing more: check it, and reconnect and LISTEN again when it is gone.
                    QTimer health;
                    QObject::connect(&health, &QTimer::timeout, &notifier, [this, connection, events, jobs]() mutable {
                        QSqlQuery ping(connection);
                        if (ping.exec(u"SELECT 1"_s)) {
                            return;
                        }
                        qCWarning(lcSql) << "the LISTEN connection was lost; reconnecting";
                        connection.close();
                        if (!connection.open()
                            || !connection.driver()->subscribeToNotification(events)
                            || !connection.driver()->subscribeToNotification(jobs)) {
                            qCWarning(lcSql) << "LISTEN reconnect failed:" << connection.lastError().text();
                            return;
                        }
                        // Whatever was committed meanwhile was not heard: announce it now.
                        QSqlQuery last(connection);
                        const qint64 upTo = last.exec(u"SELECT COALESCE(MAX(id), 0) FROM events"_s) && last.next()
                                                ? last.value(0).toLongLong()
                                                : 0;
                        m_owner->noteCommitElsewhere();
                        QMetaObject::invokeMethod(m_owner, [owner = QPointer<Database>(m_owner), upTo] {
                            if (owner) {
                                if (upTo > 0) {
                                    Q_EMIT owner->eventsCommitted(upTo);
                                }
                                Q_EMIT owner->jobsCommitted();
                            }
                        });
                    });
                    health.start(kListenHealthMs);
                    opened.release();
                    exec();
                    m_notifier = nullptr;
                }
                db->close();
            }
        }
        QMutexLocker lock(&g_addDatabaseMutex);
        QSqlDatabase::removeDatabase(name);
    }

private:
    QString m_url;
    Database *m_owner;
    std::atomic<QObject *> m_notifier = nullptr;
    std::function<void()> m_flush;
    std::atomic<qint64> m_pendingEventId = 0;
    std::atomic_bool m_pendingJobs = false;
    std::atomic_bool m_flushQueued = false;
};

} // namespace

struct Database::Private
{
    JobQueue writes{"write"};
    JobQueue reads{"read"};
    // PostgreSQL: grouped writes are partitioned over these, one thread each, by a key (a
    // contact, a message), so two groups never wait on each other's row locks in a cycle.
    std::vector<std::unique_ptr<JobQueue>> groups;
    std::unique_ptr<ListenThread> listener; // PostgreSQL: other instances' commits
    bool sharedQueue = false; // PostgreSQL: every thread takes reads and writes from `writes`
    std::vector<std::unique_ptr<DbThread>> threads;
    bool closed = false;
};

Database::Database(Dialect dialect) : m_dialect(dialect), d(std::make_unique<Private>()) { }

Database::~Database()
{
    close();
}

Result<std::unique_ptr<Database>> Database::open(const QString &databaseUrl, int threads,
                                                 int groupThreads)
{
    const Dialect dialect = databaseUrl.startsWith(u"sqlite:"_s) ? Dialect::Sqlite
                                                                 : Dialect::Postgres;
    std::unique_ptr<Database> database(new Database(dialect));
    Private &p = *database->d;
    auto start = [&](JobQueue *queue) {
        p.threads.push_back(std::make_unique<DbThread>(databaseUrl, queue, database.get()));
        p.threads.back()->start();
    };
    if (dialect == Dialect::Sqlite) {
        start(&p.writes);
        const int readers = threads > 0 ? threads : 2;
        for (int i = 0; i < readers; ++i) {
            start(&p.reads);
        }
    } else {
        p.sharedQueue = true;
        const int count = threads > 0 ? threads : 4;
        for (int i = 0; i < count; ++i) {
            start(&p.writes);
        }
        const int groups = groupThreads > 0 ? groupThreads : kPostgresGroupThreads;
        for (int i = 0; i < groups; ++i) {
            p.groups.push_back(std::make_unique<JobQueue>("group"));
            start(p.groups.back().get());
        }
    }
    if (dialect == Dialect::Postgres) {
        p.listener = std::make_unique<ListenThread>(databaseUrl, database.get());
        p.listener->start();
        p.listener->opened.acquire();
        if (!p.listener->openError.isEmpty()) {
            const QString error = p.listener->openError;
            database->close();
            return ApiError{503, u"database-unavailable"_s, u"Database unavailable"_s, error, {}, 0};
        }
    }
    for (const auto &thread : p.threads) {
        thread->opened.acquire();
        if (!thread->openError.isEmpty()) {
            const QString error = thread->openError;
            database->close();
            return ApiError{503, u"database-unavailable"_s, u"Database unavailable"_s, error, {}, 0};
        }
    }
    return database;
}

void Database::enqueue(DbAccess access, std::function<void(DbConnection &)> job)
{
    if (access == DbAccess::Read && !d->sharedQueue) {
        d->reads.push(std::move(job));
    } else {
        d->writes.push(std::move(job));
    }
}

void Database::enqueueGrouped(const QString &partitionKey,
                              std::function<void(DbConnection &)> job)
{
    if (d->groups.empty()) {
        d->writes.push(std::move(job), true); // SQLite: the one writer, in arrival order
        return;
    }
    const size_t index = qHash(partitionKey) % d->groups.size();
    d->groups[index]->push(std::move(job), true);
}

void Database::tellOtherInstances(qint64 lastEventId, bool jobs)
{
    if (d->listener) {
        d->listener->post(lastEventId, jobs);
    }
}

void Database::runAndWait(DbAccess access, const std::function<void(DbConnection &)> &job)
{
    std::binary_semaphore done{0};
    enqueue(access, [&](DbConnection &connection) {
        job(connection);
        if (access == DbAccess::Write) {
            m_generation.fetch_add(1, std::memory_order_acq_rel);
        }
        done.release();
    });
    done.acquire();
}

void Database::close()
{
    if (d->closed) {
        return;
    }
    d->closed = true;
    qsizetype dropped = d->writes.close() + d->reads.close();
    for (const auto &group : d->groups) {
        dropped += group->close();
    }
    if (dropped > 0) {
        qCInfo(lcSql) << "closing the database: dropped" << dropped << "queued job(s) that had not started";
    }
    for (const auto &thread : d->threads) {
        thread->wait();
    }
    d->threads.clear();
    if (d->listener) {
        d->listener->quit();
        d->listener->wait();
        d->listener.reset();
    }
}

Result<QSqlDatabase> openConnection(const QString &databaseUrl, const QString &name)
{
    QSqlDatabase db;
    const bool sqlite = databaseUrl.startsWith(u"sqlite:"_s);
    {
        QMutexLocker lock(&g_addDatabaseMutex);
        db = QSqlDatabase::addDatabase(sqlite ? u"QSQLITE"_s : u"QPSQL"_s, name);
    }
    if (sqlite) {
        // sqlite:///abs/path → /abs/path
        QString path = databaseUrl.mid(int(qstrlen("sqlite:")));
        if (path.startsWith(u"//"_s)) {
            path = path.mid(2);
        }
        db.setDatabaseName(path);
    } else {
        const QUrl url(databaseUrl);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setUserName(url.userName(QUrl::FullyDecoded));
        db.setPassword(url.password(QUrl::FullyDecoded));
        db.setDatabaseName(url.path().mid(1));
        // sslmode and friends pass through as libpq options.
        const QUrlQuery query(url);
        QStringList options;
        for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
            options.append(key + u'=' + value);
        }
        options.append(u"connect_timeout=10"_s);
        db.setConnectOptions(options.join(u';'));
    }
    if (!db.open()) {
        const QString text = db.lastError().text();
        return ApiError{503, u"database-unavailable"_s, u"Database unavailable"_s,
                        u"cannot open the database: "_s + text, {}, 0};
    }
    if (sqlite) {
        if (Status pragmas = applySqlitePragmas(db); !pragmas) {
            return pragmas.error();
        }
    }
    return db;
}
