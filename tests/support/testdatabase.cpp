// SPDX-License-Identifier: MIT
#include "testdatabase.h"

#include <QDir>
#include <QFile>
#include <QMutex>
#include <QMutexLocker>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <utility>

using namespace Qt::StringLiterals;

namespace {

// Qt 6.4's connection registry is not safe against concurrent addDatabase (STYLE.md habit 9).
QMutex &registryMutex()
{
    static QMutex mutex;
    return mutex;
}

void fail(const QString &message)
{
    QTest::qFail(message.toUtf8().constData(), __FILE__, __LINE__);
}

void configurePostgres(QSqlDatabase &db, const QUrl &url)
{
    db.setHostName(url.host());
    db.setPort(url.port(5432));
    db.setUserName(url.userName());
    db.setPassword(url.password());
    db.setDatabaseName(url.path().mid(1));
}

// Runs one statement on the cluster's maintenance database; returns the error, empty on success.
QString runAdminStatement(const QString &adminUrl, const QString &sql)
{
    const QString name = u"inbox-test-admin-"_s
        + QString::number(QRandomGenerator::global()->generate64(), 16);
    QString error;
    {
        QSqlDatabase db;
        {
            const QMutexLocker lock(&registryMutex());
            db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        }
        configurePostgres(db, QUrl(adminUrl));
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            if (!query.exec(sql)) {
                error = query.lastError().text();
            }
        }
        db.close();
    }
    const QMutexLocker lock(&registryMutex());
    QSqlDatabase::removeDatabase(name);
    return error;
}

// The admin URL written by tests/support/pg-start.sh into $INBOX_PG_DIR/url, or an error.
std::pair<QString, QString> fixtureAdminUrl()
{
    const QString dir = qEnvironmentVariable("INBOX_PG_DIR");
    if (dir.isEmpty()) {
        return {{},
                u"INBOX_PG_DIR is not set: PostgreSQL tests must run under ctest, whose fixture "
                "inbox.pg_start starts the cluster (or run tests/support/pg-start.sh DIR and "
                "export INBOX_PG_DIR=DIR)"_s};
    }
    QFile file(QDir(dir).filePath(u"url"_s));
    if (!file.open(QIODevice::ReadOnly)) {
        return {{},
                u"no PostgreSQL fixture at "_s + file.fileName()
                    + u": did the ctest fixture inbox.pg_start fail? (see its output)"_s};
    }
    const QString url = QString::fromUtf8(file.readAll()).trimmed();
    if (url.isEmpty()) {
        return {{}, file.fileName() + u" is empty"_s};
    }
    return {url, {}};
}

} // namespace

TestDatabase::TestDatabase(Dialect dialect) : m_dialect(dialect) { }

TestDatabase TestDatabase::create(Dialect dialect)
{
    TestDatabase db(dialect);
    if (dialect == Dialect::Sqlite) {
        db.m_tempDir = std::make_unique<QTemporaryDir>();
        if (!db.m_tempDir->isValid()) {
            fail(u"cannot create a temporary dir for SQLite: "_s + db.m_tempDir->errorString());
            return db;
        }
        db.m_url = u"sqlite://"_s + db.m_tempDir->filePath(u"test.db"_s);
        return db;
    }

    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s)) {
        fail(u"the Qt PostgreSQL driver QPSQL is missing (install libqt6sql6-psql)"_s);
        return db;
    }
    const auto [adminUrl, error] = fixtureAdminUrl();
    if (!error.isEmpty()) {
        fail(error);
        return db;
    }
    const QString name =
        u"t_"_s + QString::number(QRandomGenerator::global()->generate64(), 16);
    if (const QString createError = runAdminStatement(adminUrl, u"CREATE DATABASE "_s + name);
        !createError.isEmpty()) {
        fail(u"CREATE DATABASE "_s + name + u" on "_s + adminUrl + u" failed: "_s + createError);
        return db;
    }
    QUrl url(adminUrl);
    url.setPath(u"/"_s + name);
    db.m_adminUrl = adminUrl;
    db.m_databaseName = name;
    db.m_url = url.toString();
    return db;
}

TestDatabase::TestDatabase(TestDatabase &&other) noexcept
    : m_dialect(other.m_dialect),
      m_url(std::exchange(other.m_url, {})),
      m_tempDir(std::move(other.m_tempDir)),
      m_adminUrl(std::exchange(other.m_adminUrl, {})),
      m_databaseName(std::exchange(other.m_databaseName, {}))
{
}

TestDatabase &TestDatabase::operator=(TestDatabase &&other) noexcept
{
    if (this != &other) {
        drop();
        m_dialect = other.m_dialect;
        m_url = std::exchange(other.m_url, {});
        m_tempDir = std::move(other.m_tempDir);
        m_adminUrl = std::exchange(other.m_adminUrl, {});
        m_databaseName = std::exchange(other.m_databaseName, {});
    }
    return *this;
}

TestDatabase::~TestDatabase()
{
    drop();
}

void TestDatabase::drop()
{
    if (!m_databaseName.isEmpty()) {
        // FORCE: connections the test (or a server under test) left open must not keep it alive.
        const QString error = runAdminStatement(
            m_adminUrl, u"DROP DATABASE IF EXISTS "_s + m_databaseName + u" WITH (FORCE)"_s);
        if (!error.isEmpty()) {
            qWarning("TestDatabase: could not drop %s: %s", qPrintable(m_databaseName),
                     qPrintable(error));
        }
        m_databaseName.clear();
    }
    m_tempDir.reset();
    m_url.clear();
}

QSqlDatabase TestDatabase::open(const QString &connectionName) const
{
    QSqlDatabase db;
    {
        const QMutexLocker lock(&registryMutex());
        db = QSqlDatabase::addDatabase(
            m_dialect == Dialect::Sqlite ? u"QSQLITE"_s : u"QPSQL"_s, connectionName);
    }
    if (m_dialect == Dialect::Sqlite) {
        db.setDatabaseName(QUrl(m_url).path());
    } else {
        configurePostgres(db, QUrl(m_url));
    }
    if (!db.open()) {
        qWarning("TestDatabase: cannot open %s: %s", qPrintable(m_url),
                 qPrintable(db.lastError().text()));
    }
    return db;
}
