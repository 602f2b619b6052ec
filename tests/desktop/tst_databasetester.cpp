// SPDX-License-Identifier: MIT
// The settings window's "Test connection": it really opens SQLite and PostgreSQL databases (the
// cluster of the ctest `pg` fixture), off the calling thread, and says why one cannot be used.

#include "databasetester.h"

#include "testdatabase.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;

class TestDatabaseTester : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void opensAnExistingSqliteFile();
    void aMissingSqliteFileIsNotCreated();
    void opensPostgresql();
    void anUnreachablePostgresqlFails();
    void aBadUrlFails();
};

void TestDatabaseTester::opensAnExistingSqliteFile()
{
    TestDatabase db = TestDatabase::create(Dialect::Sqlite);
    QVERIFY(db.isValid());
    {
        QSqlDatabase c = db.open(u"create"_s);
        QVERIFY(c.isOpen());
        c.exec(u"CREATE TABLE t (x INTEGER)"_s);
        c.close();
    }
    QSqlDatabase::removeDatabase(u"create"_s);
    std::optional<DatabaseTestResult> result;
    Qt::HANDLE caller = QThread::currentThreadId();
    Qt::HANDLE worker = nullptr;
    DatabaseTester::test(db.url(), QString(), this, [&](DatabaseTestResult r) {
        worker = QThread::currentThreadId();
        result = r;
    });
    QVERIFY(!result); // answered later, from another thread's work
    QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, 20000));
    QCOMPARE(worker, caller); // the answer comes back on the caller's thread
    QVERIFY2(result->ok, qPrintable(result->message));
    QVERIFY2(result->message.startsWith(u"Connected (SQLite 3."_s), qPrintable(result->message));
}

void TestDatabaseTester::aMissingSqliteFileIsNotCreated()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"new.db"_s);
    const DatabaseTestResult result = DatabaseTester::testNow(u"sqlite://"_s + path, dir.path());
    QVERIFY2(result.ok, qPrintable(result.message));
    QVERIFY2(result.message.contains(u"does not exist yet"_s), qPrintable(result.message));
    QVERIFY(!QFile::exists(path));
}

void TestDatabaseTester::opensPostgresql()
{
    TestDatabase db = TestDatabase::create(Dialect::Postgres);
    QVERIFY(db.isValid());
    std::optional<DatabaseTestResult> result;
    DatabaseTester::test(db.url(), QString(), this, [&](DatabaseTestResult r) { result = r; });
    QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, 30000));
    QVERIFY2(result->ok, qPrintable(result->message));
    QVERIFY2(result->message.startsWith(u"Connected (PostgreSQL"_s), qPrintable(result->message));
}

void TestDatabaseTester::anUnreachablePostgresqlFails()
{
    // Port 1 on loopback: nothing listens there. The password must not appear in the answer.
    const DatabaseTestResult result =
            DatabaseTester::testNow(u"postgresql://inbox:hunter2@127.0.0.1:1/inbox"_s, QString());
    QVERIFY(!result.ok);
    QVERIFY(!result.message.isEmpty());
    QVERIFY2(!result.message.contains(u"hunter2"_s), qPrintable(result.message));
}

void TestDatabaseTester::aBadUrlFails()
{
    const DatabaseTestResult result = DatabaseTester::testNow(u"mysql://x@y/z"_s, QString());
    QVERIFY(!result.ok);
    QVERIFY2(result.message.contains(u"DATABASE_URL"_s), qPrintable(result.message));
}

QTEST_GUILESS_MAIN(TestDatabaseTester)
#include "tst_databasetester.moc"
