// SPDX-License-Identifier: MIT
// A scheduled message's cancel and reschedule against the job runner's claim, at the SQL level:
// JobStore::cancelPending / reschedulePending in one connection, claimDue / claimByKey in another
// on the same database, each interleaving forced by holding the first transaction open. Whichever
// commits first wins; the other changes nothing. PostgreSQL: the claim's SKIP LOCKED passes over
// a job a cancel holds, and a cancel waiting on a claim's row lock re-checks the status after
// the claim commits and finds the job running. SQLite: BEGIN IMMEDIATE lets one writer in at a
// time, so the second waits for the first's commit and then sees its result. Every test function
// runs once per dialect (global data rows "sqlite" and "postgresql").

#include "storage/dbconnection.h"
#include "storage/jobstore.h"
#include "storage/migrator.h"
#include "storage/sqlitepragmas.h"
#include "testdatabase.h"

#include <QDateTime>
#include <QSqlError>
#include <QTest>
#include <QThread>

#include <functional>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

const QString kKey = u"send:m1"_s;
constexpr int kLeaseMs = 60'000;
// How long the second connection is given to (wrongly) get through while the first holds its
// transaction open.
constexpr int kHoldMs = 300;

QString describe(const ApiError &error)
{
    return error.title + u": "_s + error.detail;
}

// A DbConnection on `database` opened with the server's settings (SQLite pragmas, busy_timeout).
std::unique_ptr<DbConnection> openConnection(const TestDatabase &database, const QString &name)
{
    QSqlDatabase db = database.open(name);
    if (!db.isOpen()) {
        qWarning() << "cannot open" << name << db.lastError().text();
        return {};
    }
    if (database.dialect() == Dialect::Sqlite && !applySqlitePragmas(db).ok()) {
        return {};
    }
    return std::make_unique<DbConnection>(db, database.dialect());
}

// Runs `work` in a transaction of its own connection on another thread (a connection belongs to
// the thread that opened it). waitFor() says whether it got through in time; result() after.
class OtherConnection
{
public:
    OtherConnection(const TestDatabase &database, const QString &name,
                    std::function<QString(DbConnection &)> work)
    {
        m_thread.reset(QThread::create([this, &database, name, work] {
            {
                std::unique_ptr<DbConnection> db = openConnection(database, name);
                if (!db) {
                    m_result = u"ERROR: no connection"_s;
                } else if (Status begun = db->begin(); !begun) {
                    m_result = u"ERROR: "_s + describe(begun.error());
                } else {
                    m_result = work(*db);
                    if (Status committed = db->commit(); !committed) {
                        m_result = u"ERROR: "_s + describe(committed.error());
                    }
                }
            }
            QSqlDatabase::removeDatabase(name);
        }));
        m_thread->start();
    }
    ~OtherConnection() { m_thread->wait(); }
    Q_DISABLE_COPY_MOVE(OtherConnection)

    [[nodiscard]] bool waitFor(int ms) { return m_thread->wait(QDeadlineTimer(ms)); }
    [[nodiscard]] QString result() const { return m_result; }

private:
    std::unique_ptr<QThread> m_thread;
    QString m_result;
};

QString claimedIds(const Result<QList<ClaimedJob>> &claimed)
{
    if (!claimed) {
        return u"ERROR: "_s + describe(claimed.error());
    }
    QStringList ids;
    for (const ClaimedJob &job : claimed.value()) {
        ids.append(job.id);
    }
    return u"claimed ["_s + ids.join(u',') + u"]"_s;
}

QString changed(const Result<bool> &result)
{
    if (!result) {
        return u"ERROR: "_s + describe(result.error());
    }
    return result.value() ? u"changed"_s : u"unchanged"_s;
}

} // namespace

class TestJobClaimRace : public QObject
{
    Q_OBJECT

private:
    std::optional<TestDatabase> m_database;
    std::unique_ptr<DbConnection> m_db; // the main thread's connection
    QString m_jobId;
    QDateTime m_runAt;

    [[nodiscard]] static Dialect dialect()
    {
        QFETCH_GLOBAL(QString, dialectName);
        return dialectName == u"sqlite"_s ? Dialect::Sqlite : Dialect::Postgres;
    }
    [[nodiscard]] static QString connectionName(const char *which)
    {
        return QString::fromLatin1(QTest::currentTestFunction()) + u'-'
            + QString::fromLatin1(QTest::currentDataTag()) + u'-' + QString::fromLatin1(which);
    }

    [[nodiscard]] std::optional<SqlRow> jobRow()
    {
        Result<std::optional<SqlRow>> row = m_db->queryOne(
            u"SELECT status, run_at, attempts, lease_owner, last_error FROM jobs WHERE id = ?"_s,
            {m_jobId});
        return row ? row.value() : std::nullopt;
    }
    [[nodiscard]] QString jobColumn(const QString &column)
    {
        const std::optional<SqlRow> row = jobRow();
        return row ? row->text(column) : u"ERROR"_s;
    }
    [[nodiscard]] QDateTime jobRunAt()
    {
        const std::optional<SqlRow> row = jobRow();
        return row ? row->time(u"run_at"_s) : QDateTime();
    }

    // The second connection's steps, as text for QCOMPARE.
    static std::function<QString(DbConnection &)> claimDue()
    {
        return [](DbConnection &db) {
            return claimedIds(JobStore::claimDue(db, u"worker-b"_s, 10, kLeaseMs));
        };
    }
    static std::function<QString(DbConnection &)> claimByKey()
    {
        return [](DbConnection &db) -> QString {
            Result<std::optional<ClaimedJob>> claimed =
                JobStore::claimByKey(db, kKey, u"worker-b"_s, kLeaseMs);
            if (!claimed) {
                return u"ERROR: "_s + describe(claimed.error());
            }
            return claimed.value() ? u"claimed [%1]"_s.arg(claimed.value()->id)
                                   : u"claimed []"_s;
        };
    }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("dialectName");
        QTest::addRow("sqlite") << u"sqlite"_s;
        QTest::addRow("postgresql") << u"postgresql"_s;
    }

    // A fresh database holding one pending send job, due a second ago.
    void init()
    {
        m_database.emplace(TestDatabase::create(dialect()));
        QVERIFY(m_database->isValid());
        m_db = openConnection(*m_database, connectionName("main"));
        QVERIFY(m_db);
        const Result<QStringList> applied = Migrator(dialect()).apply(m_db->database());
        QVERIFY2(applied.ok(), qPrintable(applied.ok() ? QString() : applied.error().detail));
        const QDateTime due = QDateTime::currentDateTimeUtc().addSecs(-1);
        Result<QString> id = JobStore::enqueue(
            *m_db, NewJob{u"message.send"_s, {{u"messageId"_s, u"m1"_s}}, due, kKey, {}});
        QVERIFY2(id.ok(), qPrintable(id.ok() ? QString() : describe(id.error())));
        m_jobId = id.value();
        m_runAt = jobRunAt();
        QVERIFY(m_runAt.isValid());
    }

    void cleanup()
    {
        if (m_db) {
            m_db->rollback();
        }
        m_db.reset();
        QSqlDatabase::removeDatabase(connectionName("main"));
        m_database.reset();
    }

    // The cancel commits first: the claim gets nothing, now or later.
    void cancelHeldThenClaimDue()
    {
        QVERIFY(m_db->begin().ok());
        QCOMPARE(changed(JobStore::cancelPending(*m_db, kKey, u"canceled by a test"_s)),
                 u"changed"_s);
        {
            OtherConnection claim(*m_database, connectionName("b"), claimDue());
            if (dialect() == Dialect::Postgres) {
                // SKIP LOCKED: the claim passes over the held row at once instead of waiting.
                QVERIFY2(claim.waitFor(5000), "the claim does not wait for the cancel's lock");
                QCOMPARE(claim.result(), u"claimed []"_s);
            } else {
                QVERIFY2(!claim.waitFor(kHoldMs), "one writer at a time: the claim waits");
            }
            QVERIFY(m_db->commit().ok());
            QVERIFY(claim.waitFor(10'000));
            QCOMPARE(claim.result(), u"claimed []"_s);
        }
        QCOMPARE(claimedIds(JobStore::claimDue(*m_db, u"worker-c"_s, 10, kLeaseMs)), u"claimed []"_s);
        QCOMPARE(jobColumn(u"status"_s), u"canceled"_s);
        QCOMPARE(jobColumn(u"last_error"_s), u"canceled by a test"_s);
        QCOMPARE(jobRow()->integer(u"attempts"_s), 0);
    }

    // The immediate send's own claim (no SKIP LOCKED) waits for the cancel, then finds nothing.
    void cancelHeldThenClaimByKey()
    {
        QVERIFY(m_db->begin().ok());
        QCOMPARE(changed(JobStore::cancelPending(*m_db, kKey, u"canceled"_s)), u"changed"_s);
        {
            OtherConnection claim(*m_database, connectionName("b"), claimByKey());
            QVERIFY2(!claim.waitFor(kHoldMs), "the claim waits for the cancel's commit");
            QVERIFY(m_db->commit().ok());
            QVERIFY(claim.waitFor(10'000));
            QCOMPARE(claim.result(), u"claimed []"_s);
        }
        QCOMPARE(jobColumn(u"status"_s), u"canceled"_s);
    }

    // The claim commits first: a cancel waiting on it then changes nothing.
    void claimHeldThenCancel()
    {
        QVERIFY(m_db->begin().ok());
        QCOMPARE(claimedIds(JobStore::claimDue(*m_db, u"worker-a"_s, 10, kLeaseMs)),
                 u"claimed [%1]"_s.arg(m_jobId));
        {
            OtherConnection cancel(*m_database, connectionName("b"), [](DbConnection &db) {
                return changed(JobStore::cancelPending(db, kKey, u"too late"_s));
            });
            QVERIFY2(!cancel.waitFor(kHoldMs), "the cancel waits for the claim's commit");
            QVERIFY(m_db->commit().ok());
            QVERIFY(cancel.waitFor(10'000));
            QCOMPARE(cancel.result(), u"unchanged"_s);
        }
        QCOMPARE(jobColumn(u"status"_s), u"running"_s);
        QCOMPARE(jobColumn(u"lease_owner"_s), u"worker-a"_s);
        QVERIFY(jobColumn(u"last_error"_s).isEmpty());
    }

    // The claim commits first: a reschedule waiting on it changes nothing, run_at included.
    void claimHeldThenReschedule()
    {
        QVERIFY(m_db->begin().ok());
        QCOMPARE(claimedIds(JobStore::claimDue(*m_db, u"worker-a"_s, 10, kLeaseMs)),
                 u"claimed [%1]"_s.arg(m_jobId));
        {
            OtherConnection reschedule(*m_database, connectionName("b"), [](DbConnection &db) {
                return changed(JobStore::reschedulePending(
                    db, kKey, QDateTime::currentDateTimeUtc().addSecs(3600)));
            });
            QVERIFY2(!reschedule.waitFor(kHoldMs), "the reschedule waits for the claim's commit");
            QVERIFY(m_db->commit().ok());
            QVERIFY(reschedule.waitFor(10'000));
            QCOMPARE(reschedule.result(), u"unchanged"_s);
        }
        QCOMPARE(jobColumn(u"status"_s), u"running"_s);
        QCOMPARE(jobRunAt(), m_runAt);
    }

    // The reschedule commits first: the job is no longer due, so the claim gets nothing; at the
    // new time it does.
    void rescheduleHeldThenClaimDue()
    {
        const QDateTime later = QDateTime::currentDateTimeUtc().addSecs(3600);
        QVERIFY(m_db->begin().ok());
        QCOMPARE(changed(JobStore::reschedulePending(*m_db, kKey, later)), u"changed"_s);
        {
            OtherConnection claim(*m_database, connectionName("b"), claimDue());
            if (dialect() == Dialect::Sqlite) {
                QVERIFY(!claim.waitFor(kHoldMs));
            }
            QVERIFY(m_db->commit().ok());
            QVERIFY(claim.waitFor(10'000));
            QCOMPARE(claim.result(), u"claimed []"_s);
        }
        QCOMPARE(jobColumn(u"status"_s), u"pending"_s);
        QCOMPARE(isoUtc(jobRunAt()), isoUtc(later));
        // An invalid time keeps run_at and only checks that the job is still pending.
        QCOMPARE(changed(JobStore::reschedulePending(*m_db, kKey, QDateTime())), u"changed"_s);
        QCOMPARE(jobColumn(u"status"_s), u"pending"_s);
    }

    // A change rolled back (the message's own update failed) leaves the job claimable.
    void cancelRolledBackStaysClaimable()
    {
        QVERIFY(m_db->begin().ok());
        QCOMPARE(changed(JobStore::cancelPending(*m_db, kKey, u"canceled"_s)), u"changed"_s);
        m_db->rollback();
        QCOMPARE(jobColumn(u"status"_s), u"pending"_s);
        QCOMPARE(claimedIds(JobStore::claimDue(*m_db, u"worker-c"_s, 10, kLeaseMs)),
                 u"claimed [%1]"_s.arg(m_jobId));
    }

    // After the claim, and after the job ended, nothing changes it.
    void noChangeOnceClaimedOrDone()
    {
        Result<QList<ClaimedJob>> claimed = JobStore::claimDue(*m_db, u"worker-a"_s, 10, kLeaseMs);
        QCOMPARE(claimedIds(claimed), u"claimed [%1]"_s.arg(m_jobId));
        QCOMPARE(changed(JobStore::cancelPending(*m_db, kKey, u"late"_s)), u"unchanged"_s);
        QCOMPARE(changed(JobStore::reschedulePending(*m_db, kKey, QDateTime())), u"unchanged"_s);
        QCOMPARE(changed(JobStore::complete(*m_db, claimed->first())), u"changed"_s);
        QCOMPARE(changed(JobStore::cancelPending(*m_db, kKey, u"late"_s)), u"unchanged"_s);
        QCOMPARE(changed(JobStore::reschedulePending(
                     *m_db, kKey, QDateTime::currentDateTimeUtc().addSecs(60))),
                 u"unchanged"_s);
        QCOMPARE(jobColumn(u"status"_s), u"done"_s);
        QCOMPARE(changed(JobStore::cancelPending(*m_db, u"send:no-such-message"_s, u"x"_s)),
                 u"unchanged"_s);
    }
};

QTEST_GUILESS_MAIN(TestJobClaimRace)
#include "tst_jobclaimrace.moc"
