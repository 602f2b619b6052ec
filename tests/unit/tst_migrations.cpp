// SPDX-License-Identifier: MIT
// The schema and the migrator, on a fresh SQLite file and a fresh PostgreSQL database: every
// test function runs once per dialect (global data rows "sqlite" and "postgresql").

#include "storage/migrator.h"
#include "storage/sqlitepragmas.h"
#include "testdatabase.h"

#include <QFile>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QStringList kTables = {
    u"users"_s,         u"teams"_s,         u"team_members"_s,  u"invitations"_s,
    u"refresh_tokens"_s, u"inboxes"_s,      u"contacts"_s,      u"conversations"_s,
    u"messages"_s,      u"calls"_s,         u"notes"_s,         u"user_settings"_s,
    u"team_settings"_s, u"jobs"_s,          u"events"_s,        u"webhook_receipts"_s,
    u"schema_migrations"_s,
};

// A named connection that is closed and removed from Qt's registry when the test ends.
class Connection
{
public:
    Connection(const TestDatabase &database, const QString &name)
        : m_name(name), m_db(database.open(name))
    {
    }
    ~Connection()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    Q_DISABLE_COPY_MOVE(Connection)

    QSqlDatabase &db() { return m_db; }

private:
    QString m_name;
    QSqlDatabase m_db;
};

// Runs a statement; returns the driver's error text, empty on success.
QString run(QSqlDatabase &db, const QString &sql, const QVariantList &binds = {})
{
    QSqlQuery query(db);
    if (!query.prepare(sql)) {
        return query.lastError().text() + u" (prepare)"_s;
    }
    for (const QVariant &value : binds) {
        query.addBindValue(value);
    }
    return query.exec() ? QString() : query.lastError().text();
}

// The first column of every row, as strings (a failed query yields "ERROR: <text>").
QStringList column(QSqlDatabase &db, const QString &sql, const QVariantList &binds = {})
{
    QSqlQuery query(db);
    query.prepare(sql);
    for (const QVariant &value : binds) {
        query.addBindValue(value);
    }
    if (!query.exec()) {
        return {u"ERROR: "_s + query.lastError().text()};
    }
    QStringList values;
    while (query.next()) {
        values.append(query.value(0).toString());
    }
    return values;
}

} // namespace

class TestMigrations : public QObject
{
    Q_OBJECT

private:
    [[nodiscard]] static Dialect dialect()
    {
        QFETCH_GLOBAL(QString, dialectName);
        return dialectName == u"sqlite"_s ? Dialect::Sqlite : Dialect::Postgres;
    }
    [[nodiscard]] static QString connectionName()
    {
        return QString::fromLatin1(QTest::currentTestFunction()) + u'-'
            + QString::fromLatin1(QTest::currentDataTag());
    }

    // A fresh database with the server's connection settings and every migration applied.
    // Check QTest::currentTestFailed() after calling.
    static void migrate(QSqlDatabase &db)
    {
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        if (dialectOf(db) == Dialect::Sqlite) {
            const Status pragmas = applySqlitePragmas(db);
            QVERIFY2(pragmas.ok(), qPrintable(pragmas.ok() ? QString() : pragmas.error().detail));
        }
        const Result<QStringList> applied = Migrator(dialectOf(db)).apply(db);
        QVERIFY2(applied.ok(), qPrintable(applied.ok() ? QString() : applied.error().detail));
    }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("dialectName");
        QTest::addRow("sqlite") << u"sqlite"_s;
        QTest::addRow("postgresql") << u"postgresql"_s;
    }

    void availableListsTheCompiledInMigrations()
    {
        const QList<Migration> migrations = Migrator(dialect()).available();
        QVERIFY(!migrations.isEmpty());
        QCOMPARE(migrations.first().version, 1);
        QCOMPARE(migrations.first().name, u"0001_initial.sql"_s);
        QCOMPARE(migrations.first().path,
                 u":/migrations/"_s + dialectName(dialect()) + u"/0001_initial.sql"_s);
        for (qsizetype i = 1; i < migrations.size(); ++i) {
            QVERIFY(migrations.at(i - 1).version < migrations.at(i).version);
        }
    }

    void freshDatabaseGetsInitialThenNothing()
    {
        TestDatabase database = TestDatabase::create(dialect());
        QVERIFY(database.isValid());
        Connection connection(database, connectionName());
        QSqlDatabase &db = connection.db();
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));

        const Migrator migrator(dialect());
        const int count = int(migrator.available().size());
        const Result<int> before = Migrator::currentVersion(db);
        QVERIFY(before.ok());
        QCOMPARE(before.value(), 0);
        const Result<int> pendingBefore = migrator.pending(db);
        QVERIFY(pendingBefore.ok());
        QCOMPARE(pendingBefore.value(), count);

        const Result<QStringList> first = migrator.apply(db);
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().detail));
        QCOMPARE(first.value().size(), count);
        QCOMPARE(first.value().first(), u"0001_initial.sql"_s);

        const Result<QStringList> second = migrator.apply(db);
        QVERIFY(second.ok());
        QVERIFY2(second.value().isEmpty(), qPrintable(second.value().join(u", "_s)));
        const Result<int> pendingAfter = migrator.pending(db);
        QVERIFY(pendingAfter.ok());
        QCOMPARE(pendingAfter.value(), 0);
        const Result<int> after = Migrator::currentVersion(db);
        QVERIFY(after.ok());
        QCOMPARE(after.value(), migrator.available().last().version);

        QSqlQuery rows(db);
        QVERIFY(rows.exec(u"SELECT version, name, applied_at FROM schema_migrations "
                          "ORDER BY version"_s));
        QVERIFY(rows.next());
        QCOMPARE(rows.value(0).toInt(), 1);
        QCOMPARE(rows.value(1).toString(), u"0001_initial.sql"_s);
        QVERIFY(!rows.value(2).isNull());
        int recorded = 1;
        while (rows.next()) {
            ++recorded;
        }
        QCOMPARE(recorded, count);
    }

    void everyTableOfTheDataModelExists()
    {
        TestDatabase database = TestDatabase::create(dialect());
        QVERIFY(database.isValid());
        Connection connection(database, connectionName());
        migrate(connection.db());
        if (QTest::currentTestFailed()) {
            return;
        }
        QSqlDatabase &db = connection.db();
        const QStringList tables = db.tables(QSql::Tables);
        for (const QString &table : kTables) {
            QVERIFY2(tables.contains(table), qPrintable(u"missing table "_s + table));
        }
        if (dialect() == Dialect::Sqlite) {
            QCOMPARE(column(db, u"SELECT name FROM sqlite_master WHERE type = 'table' AND sql "
                                "LIKE 'CREATE VIRTUAL TABLE%fts5%' ORDER BY name"_s),
                     (QStringList{u"contacts_fts"_s, u"messages_fts"_s}));
        } else {
            QVERIFY(db.record(u"messages"_s).contains(u"search_tsv"_s));
            QVERIFY(db.record(u"contacts"_s).contains(u"search_tsv"_s));
            QCOMPARE(column(db, u"SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%USING gin%' "
                                "ORDER BY indexname"_s),
                     (QStringList{u"contacts_search"_s, u"messages_search"_s}));
        }
    }

    // The connection settings the server relies on: SQLite's pragmas; on PostgreSQL, UTF-8 and
    // UTC-capable timestamps (the JSON and ISO text the server writes).
    void connectionSettingsAreInForce()
    {
        TestDatabase database = TestDatabase::create(dialect());
        QVERIFY(database.isValid());
        Connection connection(database, connectionName());
        migrate(connection.db());
        if (QTest::currentTestFailed()) {
            return;
        }
        QSqlDatabase &db = connection.db();
        if (dialect() == Dialect::Postgres) {
            QCOMPARE(column(db, u"SELECT current_setting('server_encoding')"_s), QStringList{u"UTF8"_s});
            QCOMPARE(column(db, u"SELECT data_type FROM information_schema.columns "
                                "WHERE table_name = 'users' AND column_name = 'created_at'"_s),
                     QStringList{u"timestamp with time zone"_s});
            return;
        }
        QCOMPARE(column(db, u"PRAGMA journal_mode"_s), QStringList{u"wal"_s});
        QCOMPARE(column(db, u"PRAGMA foreign_keys"_s), QStringList{u"1"_s});
        QCOMPARE(column(db, u"PRAGMA synchronous"_s), QStringList{u"2"_s}); // FULL
        QCOMPARE(column(db, u"PRAGMA busy_timeout"_s), QStringList{u"5000"_s});
    }

    void constraintsRejectBadRows()
    {
        TestDatabase database = TestDatabase::create(dialect());
        QVERIFY(database.isValid());
        Connection connection(database, connectionName());
        migrate(connection.db());
        if (QTest::currentTestFailed()) {
            return;
        }
        QSqlDatabase &db = connection.db();
        QCOMPARE(run(db, u"INSERT INTO users (id, email, name) VALUES ('u1', 'ann@example.com', 'Ann')"_s),
                 QString());
        QCOMPARE(run(db, u"INSERT INTO teams (id, name) VALUES ('t1', 'Team')"_s), QString());

        // a foreign key to nothing
        QVERIFY(!run(db, u"INSERT INTO team_members (id, team_id, user_id, role) "
                         "VALUES ('m0', 'no-such-team', 'u1', 'viewer')"_s).isEmpty());
        QVERIFY(!run(db, u"INSERT INTO contacts (id, team_id) VALUES ('c0', 'no-such-team')"_s)
                     .isEmpty());
        // enum-like CHECKs, the unique pair, e-mail stored lower-cased
        QVERIFY(!run(db, u"INSERT INTO team_members (id, team_id, user_id, role) "
                         "VALUES ('m0', 't1', 'u1', 'owner')"_s).isEmpty());
        QCOMPARE(run(db, u"INSERT INTO team_members (id, team_id, user_id, role) "
                         "VALUES ('m1', 't1', 'u1', 'admin')"_s),
                 QString());
        QVERIFY(!run(db, u"INSERT INTO team_members (id, team_id, user_id, role) "
                         "VALUES ('m2', 't1', 'u1', 'viewer')"_s).isEmpty());
        QVERIFY(!run(db, u"INSERT INTO users (id, email) VALUES ('u2', 'Bob@Example.com')"_s)
                     .isEmpty());

        // a provider SID is stored once per provider: what makes webhook retries idempotent
        QCOMPARE(run(db, u"INSERT INTO contacts (id, team_id, phone) VALUES ('c1', 't1', '+15551234567')"_s),
                 QString());
        const QString insertMessage =
            u"INSERT INTO messages (id, team_id, contact_id, channel, direction, body, status, "
            "provider_sid, created_by) VALUES (?, 't1', 'c1', 'sms', 'inbound', 'hi', 'received', ?, ?)"_s;
        QCOMPARE(run(db, insertMessage, {u"msg1"_s, u"SM1"_s, u"u1"_s}), QString());
        QVERIFY(!run(db, insertMessage, {u"msg2"_s, u"SM1"_s, u"u1"_s}).isEmpty());
        QVERIFY(!run(db, u"UPDATE messages SET status = 'lost' WHERE id = 'msg1'"_s).isEmpty());

        // optional user references are cleared, a team's rows go with the team
        QCOMPARE(run(db, u"DELETE FROM users WHERE id = 'u1'"_s), QString());
        QCOMPARE(column(db, u"SELECT count(*) FROM messages WHERE created_by IS NULL"_s),
                 QStringList{u"1"_s});
        QCOMPARE(column(db, u"SELECT count(*) FROM team_members"_s), QStringList{u"0"_s});
        QCOMPARE(run(db, u"DELETE FROM teams WHERE id = 't1'"_s), QString());
        QCOMPARE(column(db, u"SELECT count(*) FROM contacts"_s), QStringList{u"0"_s});
        QCOMPARE(column(db, u"SELECT count(*) FROM messages"_s), QStringList{u"0"_s});

        // the outbox id only grows
        QCOMPARE(run(db, u"INSERT INTO events (type) VALUES ('a')"_s), QString());
        QCOMPARE(run(db, u"INSERT INTO events (type) VALUES ('b')"_s), QString());
        QCOMPARE(column(db, u"SELECT type FROM events ORDER BY id"_s),
                 (QStringList{u"a"_s, u"b"_s}));
    }

    void searchFollowsMessagesAndContacts()
    {
        TestDatabase database = TestDatabase::create(dialect());
        QVERIFY(database.isValid());
        Connection connection(database, connectionName());
        migrate(connection.db());
        if (QTest::currentTestFailed()) {
            return;
        }
        QSqlDatabase &db = connection.db();
        const bool sqlite = dialect() == Dialect::Sqlite;
        const QString findMessage = sqlite
            ? u"SELECT m.id FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid "
              "WHERE messages_fts MATCH ? AND m.team_id = 't1' ORDER BY m.id"_s
            : u"SELECT id FROM messages WHERE search_tsv @@ plainto_tsquery('simple', ?) "
              "AND team_id = 't1' ORDER BY id"_s;
        const QString findContact = sqlite
            ? u"SELECT c.id FROM contacts_fts JOIN contacts c ON c.rowid = contacts_fts.rowid "
              "WHERE contacts_fts MATCH ? ORDER BY c.id"_s
            : u"SELECT id FROM contacts WHERE search_tsv @@ plainto_tsquery('simple', ?) "
              "ORDER BY id"_s;

        QCOMPARE(run(db, u"INSERT INTO teams (id, name) VALUES ('t1', 'Team')"_s), QString());
        QCOMPARE(run(db, u"INSERT INTO contacts (id, team_id, name, phone, email) "
                         "VALUES ('c1', 't1', 'Zoë Quartermaine', '+15551234567', "
                         "'zoe.q@example.org')"_s),
                 QString());
        QCOMPARE(column(db, findContact, {u"quartermaine"_s}), QStringList{u"c1"_s});
        QCOMPARE(column(db, findContact, {u"15551234567"_s}), QStringList{u"c1"_s});
        QCOMPARE(column(db, findContact, {u"example"_s}), QStringList{u"c1"_s});
        QCOMPARE(run(db, u"UPDATE contacts SET name = 'Zoë Smith' WHERE id = 'c1'"_s), QString());
        QCOMPARE(column(db, findContact, {u"quartermaine"_s}), QStringList());
        QCOMPARE(column(db, findContact, {u"smith"_s}), QStringList{u"c1"_s});

        const QString insertMessage =
            u"INSERT INTO messages (id, team_id, contact_id, channel, direction, body, status) "
            "VALUES (?, 't1', 'c1', 'sms', 'inbound', ?, 'received')"_s;
        QCOMPARE(run(db, insertMessage, {u"m1"_s, u"The parcel arrives on Tuesday"_s}), QString());
        QCOMPARE(run(db, insertMessage, {u"m2"_s, u"Thanks, see you Tuesday"_s}), QString());
        QCOMPARE(column(db, findMessage, {u"parcel"_s}), QStringList{u"m1"_s});
        QCOMPARE(column(db, findMessage, {u"tuesday"_s}), (QStringList{u"m1"_s, u"m2"_s}));

        // a status change leaves the index alone; an edit moves it; a delete removes it
        QCOMPARE(run(db, u"UPDATE messages SET status = 'read' WHERE id = 'm1'"_s), QString());
        QCOMPARE(column(db, findMessage, {u"parcel"_s}), QStringList{u"m1"_s});
        QCOMPARE(run(db, u"UPDATE messages SET body = 'The box arrives on Friday' WHERE id = 'm1'"_s),
                 QString());
        QCOMPARE(column(db, findMessage, {u"parcel"_s}), QStringList());
        QCOMPARE(column(db, findMessage, {u"friday"_s}), QStringList{u"m1"_s});
        QCOMPARE(column(db, findMessage, {u"tuesday"_s}), QStringList{u"m2"_s});
        QCOMPARE(run(db, u"DELETE FROM messages WHERE id = 'm2'"_s), QString());
        QCOMPARE(column(db, findMessage, {u"tuesday"_s}), QStringList());
        // deleting the contact cascades to its messages, and both indexes follow
        QCOMPARE(run(db, u"DELETE FROM contacts WHERE id = 'c1'"_s), QString());
        QCOMPARE(column(db, findMessage, {u"friday"_s}), QStringList());
        QCOMPARE(column(db, findContact, {u"smith"_s}), QStringList());

        if (sqlite) {
            // the external-content indexes agree with their tables, row for row
            QCOMPARE(run(db, u"INSERT INTO messages_fts (messages_fts, rank) "
                             "VALUES ('integrity-check', 1)"_s),
                     QString());
            QCOMPARE(run(db, u"INSERT INTO contacts_fts (contacts_fts, rank) "
                             "VALUES ('integrity-check', 1)"_s),
                     QString());
        }
    }

    // Several instances starting at once against one database: exactly one applies each file.
    void concurrentStartMigratesOnce()
    {
        TestDatabase database = TestDatabase::create(dialect());
        QVERIFY(database.isValid());
        const Dialect which = dialect();
        const QString prefix = connectionName();

        struct Outcome
        {
            bool opened = false;
            bool ok = false;
            QStringList applied;
            QString error;
        };
        constexpr int kInstances = 3;
        Outcome outcomes[kInstances];
        QSemaphore ready;
        QSemaphore go;
        std::unique_ptr<QThread> threads[kInstances];
        for (int i = 0; i < kInstances; ++i) {
            threads[i].reset(QThread::create([&, i] {
                QSqlDatabase db = database.open(prefix + QString::number(i));
                Outcome &outcome = outcomes[i];
                outcome.opened = db.isOpen();
                if (outcome.opened && which == Dialect::Sqlite) {
                    const Status pragmas = applySqlitePragmas(db);
                    outcome.opened = pragmas.ok();
                }
                ready.release();
                go.acquire();
                if (outcome.opened) {
                    const Result<QStringList> applied = Migrator(which).apply(db);
                    outcome.ok = applied.ok();
                    if (applied.ok()) {
                        outcome.applied = applied.value();
                    } else {
                        outcome.error = applied.error().detail;
                    }
                }
                db.close();
            }));
            threads[i]->start();
        }
        ready.acquire(kInstances);
        go.release(kInstances);
        for (auto &thread : threads) {
            QVERIFY(thread->wait(120'000));
        }
        for (int i = 0; i < kInstances; ++i) {
            QSqlDatabase::removeDatabase(prefix + QString::number(i));
        }

        QStringList appliedByAll;
        for (const Outcome &outcome : outcomes) {
            QVERIFY(outcome.opened);
            QVERIFY2(outcome.ok, qPrintable(outcome.error));
            appliedByAll += outcome.applied;
        }
        // Instances may share the work (one applies 0001, another 0002): together, each file
        // exactly once.
        QStringList expected;
        for (const Migration &migration : Migrator(which).available()) {
            expected.append(migration.name);
        }
        appliedByAll.sort();
        QCOMPARE(appliedByAll, expected);

        Connection connection(database, prefix + u"-check"_s);
        QCOMPARE(column(connection.db(), u"SELECT count(*) FROM schema_migrations"_s),
                 QStringList{QString::number(expected.size())});
    }

    // A failing statement rolls its whole file back and names the file, statement and cause.
    void failingMigrationRollsBack()
    {
        TestDatabase database = TestDatabase::create(dialect());
        QVERIFY(database.isValid());
        Connection connection(database, connectionName());
        QSqlDatabase &db = connection.db();
        QVERIFY(db.isOpen());
        if (dialect() == Dialect::Sqlite) {
            QVERIFY(applySqlitePragmas(db).ok());
        }

        QTemporaryDir folder;
        QVERIFY(folder.isValid());
        const QString builtIn = u":/migrations/"_s + dialectName(dialect()) + u"/0001_initial.sql"_s;
        QVERIFY(QFile::copy(builtIn, folder.filePath(u"0001_initial.sql"_s)));
        auto writeSecond = [&](const QByteArray &sql) {
            QFile file(folder.filePath(u"0002_second.sql"_s));
            return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(sql) == sql.size();
        };
        QVERIFY(writeSecond("-- adds two things\n"
                            "CREATE TABLE good_one (id TEXT PRIMARY KEY);\n"
                            "\n"
                            "INSERT INTO good_one (id) VALUES ('x');\n"
                            "CREATE TABLEE broken (\n"
                            "    id TEXT PRIMARY KEY\n"
                            ");\n"));

        const Migrator migrator(dialect(), folder.path());
        QCOMPARE(migrator.available().size(), 2);
        QTest::ignoreMessage(QtCriticalMsg,
                             QRegularExpression(u"^migration failed: 0002_second.sql statement 3"_s));
        const Result<QStringList> failed = migrator.apply(db);
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().status, 500);
        QCOMPARE(failed.error().type, u"migration-failed"_s);
        const QString detail = failed.error().detail;
        QVERIFY2(detail.contains(u"0002_second.sql"_s), qPrintable(detail));
        QVERIFY2(detail.contains(u"statement 3"_s), qPrintable(detail));
        QVERIFY2(detail.contains(u"syntax"_s, Qt::CaseInsensitive), qPrintable(detail));

        // 0001 stayed, nothing of 0002 did
        const Result<int> version = Migrator::currentVersion(db);
        QVERIFY(version.ok());
        QCOMPARE(version.value(), 1);
        QVERIFY(!db.tables().contains(u"good_one"_s));
        if (dialect() == Dialect::Sqlite) {
            QCOMPARE(column(db, u"PRAGMA foreign_keys"_s), QStringList{u"1"_s});
        }

        QVERIFY(writeSecond("CREATE TABLE good_one (id TEXT PRIMARY KEY);\n"
                            "INSERT INTO good_one (id) VALUES ('x');\n"));
        const Result<QStringList> fixed = migrator.apply(db);
        QVERIFY2(fixed.ok(), qPrintable(fixed.ok() ? QString() : fixed.error().detail));
        QCOMPARE(fixed.value(), QStringList{u"0002_second.sql"_s});
        QCOMPARE(column(db, u"SELECT id FROM good_one"_s), QStringList{u"x"_s});
    }

    void splitStatements_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QStringList>("statements");
        QTest::addRow("comments and blank lines")
            << u"-- a comment; with a semicolon;\n\nCREATE TABLE a (\n  -- inside\n  x INT\n);\n"
               "  -- indented comment\r\nDROP TABLE b;\r\n"_s
            << QStringList{u"CREATE TABLE a (\n  x INT\n)"_s, u"DROP TABLE b"_s};
        QTest::addRow("semicolon inside a line does not end it")
            << u"INSERT INTO t VALUES ('a;b');\nSELECT 1;"_s
            << QStringList{u"INSERT INTO t VALUES ('a;b')"_s, u"SELECT 1"_s};
        QTest::addRow("sqlite trigger stays whole")
            << u"CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN\n  INSERT INTO x VALUES (1);\n"
               "  DELETE FROM y;\nEND;\nSELECT 2;\n"_s
            << QStringList{u"CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN\n  INSERT INTO x VALUES "
                           "(1);\n  DELETE FROM y;\nEND"_s,
                           u"SELECT 2"_s};
        QTest::addRow("postgresql trigger has no body")
            << u"CREATE TRIGGER t_ai AFTER INSERT ON t\n  FOR EACH ROW EXECUTE FUNCTION f();\n"
               "SELECT 3;\n"_s
            << QStringList{u"CREATE TRIGGER t_ai AFTER INSERT ON t\n  FOR EACH ROW EXECUTE "
                           "FUNCTION f()"_s,
                           u"SELECT 3"_s};
        QTest::addRow("dollar-quoted body stays whole")
            << u"CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  -- kept\n  RETURN NULL;\n"
               "END;\n$$ LANGUAGE plpgsql;\nSELECT 4;\n"_s
            << QStringList{u"CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  -- kept\n  "
                           "RETURN NULL;\nEND;\n$$ LANGUAGE plpgsql"_s,
                           u"SELECT 4"_s};
        QTest::addRow("last statement without semicolon")
            << u"SELECT 5;\nSELECT 6\n"_s << QStringList{u"SELECT 5"_s, u"SELECT 6"_s};
    }

    void splitStatements()
    {
        QFETCH(QString, sql);
        QFETCH(QStringList, statements);
        QCOMPARE(Migrator::splitStatements(sql), statements);
    }

    // The shipped files split into statements that each start with CREATE.
    void shippedFilesSplitCleanly()
    {
        QFile file(u":/migrations/"_s + dialectName(dialect()) + u"/0001_initial.sql"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList statements = Migrator::splitStatements(QString::fromUtf8(file.readAll()));
        QVERIFY(statements.size() > 40);
        for (const QString &statement : statements) {
            QVERIFY2(statement.startsWith(u"CREATE "_s), qPrintable(statement.left(200)));
            QVERIFY2(!statement.endsWith(u';'), qPrintable(statement.right(200)));
        }
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
