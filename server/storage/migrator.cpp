// SPDX-License-Identifier: MIT
#include "migrator.h"

#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

// The key of the PostgreSQL advisory lock held while migrating: "InboxMig" in ASCII. Any
// constant works as long as every instance uses the same one and nothing else does.
constexpr qint64 kMigrationLockKey = 0x496E626F784D6967;

ApiError migrationError(const QString &detail)
{
    qCCritical(lcSql).noquote() << "migration failed:" << detail;
    return ApiError{500, u"migration-failed"_s, u"Migration failed"_s, detail, {}, 0};
}

// The first line of a statement, short enough for an error message.
QString excerpt(const QString &statement)
{
    QString line = statement.section(u'\n', 0, 0).simplified();
    if (line.size() > 80) {
        line = line.left(77) + u"..."_s;
    }
    return line;
}

// Runs one statement outside the migration files (bookkeeping, locks, transactions).
Status exec(QSqlDatabase &db, const QString &sql, const QString &what)
{
    QSqlQuery query(db);
    if (!query.exec(sql)) {
        return migrationError(what + u": "_s + query.lastError().text());
    }
    return Done{};
}

Result<bool> schemaTableExists(QSqlDatabase &db, Dialect dialect)
{
    QSqlQuery query(db);
    const QString sql = dialect == Dialect::Sqlite
        ? u"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"_s
        : u"SELECT count(*) FROM pg_catalog.pg_class c "
          "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
          "WHERE c.relname = 'schema_migrations' AND n.nspname = current_schema()"_s;
    if (!query.exec(sql) || !query.next()) {
        return migrationError(u"cannot look for schema_migrations: "_s + query.lastError().text());
    }
    return query.value(0).toInt() > 0;
}

// The versions recorded in schema_migrations; empty if the table does not exist yet.
Result<QSet<int>> appliedVersions(QSqlDatabase &db, Dialect dialect)
{
    Result<bool> exists = schemaTableExists(db, dialect);
    if (!exists) {
        return exists.error();
    }
    QSet<int> versions;
    if (!exists.value()) {
        return versions;
    }
    QSqlQuery query(db);
    if (!query.exec(u"SELECT version FROM schema_migrations"_s)) {
        return migrationError(u"cannot read schema_migrations: "_s + query.lastError().text());
    }
    while (query.next()) {
        versions.insert(query.value(0).toInt());
    }
    return versions;
}

// Called under the migration lock, so "exists?" then "create" cannot race; asking first also
// spares PostgreSQL's "already exists, skipping" notice on every start.
Status createSchemaTable(QSqlDatabase &db, Dialect dialect)
{
    Result<bool> exists = schemaTableExists(db, dialect);
    if (!exists) {
        return exists.error();
    }
    if (exists.value()) {
        return Done{};
    }
    const QString sql = dialect == Dialect::Sqlite
        ? u"CREATE TABLE IF NOT EXISTS schema_migrations ("
          "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
          "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"_s
        : u"CREATE TABLE IF NOT EXISTS schema_migrations ("
          "version integer PRIMARY KEY, name text NOT NULL, "
          "applied_at timestamptz NOT NULL DEFAULT now())"_s;
    return exec(db, sql, u"cannot create schema_migrations"_s);
}

// Two files with one number would make the order, and what "applied" means, ambiguous.
Status checkNumbering(const QList<Migration> &migrations, const QString &folder)
{
    if (migrations.isEmpty()) {
        return migrationError(u"no migrations found in "_s + folder
                              + u" (is resources/resources.qrc compiled in?)"_s);
    }
    for (qsizetype i = 1; i < migrations.size(); ++i) {
        if (migrations.at(i).version == migrations.at(i - 1).version) {
            return migrationError(u"two migrations share number %1: %2 and %3"_s.arg(
                migrations.at(i).version)
                .arg(migrations.at(i - 1).name, migrations.at(i).name));
        }
    }
    return Done{};
}

// Rolls back unless committed (STYLE.md: Cutelyst's RAII transaction).
class MigrationTransaction
{
public:
    MigrationTransaction(QSqlDatabase &db, Dialect dialect) : m_db(db), m_dialect(dialect) { }
    ~MigrationTransaction()
    {
        if (m_open) {
            QSqlQuery query(m_db);
            if (!query.exec(u"ROLLBACK"_s)) {
                qCWarning(lcSql) << "migration rollback failed:" << query.lastError().text();
            }
        }
    }
    Q_DISABLE_COPY_MOVE(MigrationTransaction)

    // SQLite: IMMEDIATE takes the write lock up front, so a second process waits (busy timeout)
    // instead of failing to upgrade its read lock after checking schema_migrations.
    [[nodiscard]] Status begin()
    {
        Status begun = exec(m_db, m_dialect == Dialect::Sqlite ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s,
                            u"cannot begin a transaction"_s);
        m_open = begun.ok();
        return begun;
    }
    [[nodiscard]] Status commit(const QString &name)
    {
        m_open = false;
        Status committed = exec(m_db, u"COMMIT"_s, u"cannot commit "_s + name);
        if (!committed) {
            QSqlQuery(m_db).exec(u"ROLLBACK"_s);
        }
        return committed;
    }

private:
    QSqlDatabase &m_db;
    Dialect m_dialect;
    bool m_open = false;
};

// SQLite's way to change tables (create new, copy, drop old, rename) needs foreign key
// enforcement off, or dropping a parent table cascades into its children; the pragma cannot
// change inside a transaction. So it is off around each migration and foreign_key_check runs
// before the commit instead. Restores the connection's setting when done.
class SqliteForeignKeysOff
{
public:
    explicit SqliteForeignKeysOff(QSqlDatabase &db) : m_db(db)
    {
        QSqlQuery query(m_db);
        m_wasOn = query.exec(u"PRAGMA foreign_keys"_s) && query.next() && query.value(0).toInt() == 1;
        query.finish();
        if (m_wasOn) {
            query.exec(u"PRAGMA foreign_keys = OFF"_s);
        }
    }
    ~SqliteForeignKeysOff()
    {
        if (m_wasOn) {
            QSqlQuery(m_db).exec(u"PRAGMA foreign_keys = ON"_s);
        }
    }
    Q_DISABLE_COPY_MOVE(SqliteForeignKeysOff)

private:
    QSqlDatabase &m_db;
    bool m_wasOn = false;
};

Status checkForeignKeys(QSqlDatabase &db, const QString &name)
{
    QSqlQuery query(db);
    if (!query.exec(u"PRAGMA foreign_key_check"_s)) {
        return migrationError(name + u": foreign_key_check failed: "_s + query.lastError().text());
    }
    if (query.next()) {
        return migrationError(name + u" leaves rows that break a foreign key, first in table "_s
                              + query.value(0).toString());
    }
    return Done{};
}

// Applies one migration unless another connection got there first. True if it applied it.
Result<bool> applyOne(QSqlDatabase &db, Dialect dialect, const Migration &migration)
{
    QFile file(migration.path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        return migrationError(u"cannot read "_s + migration.path + u": "_s + file.errorString());
    }
    const QStringList statements = Migrator::splitStatements(QString::fromUtf8(file.readAll()));

    std::optional<SqliteForeignKeysOff> foreignKeysOff;
    if (dialect == Dialect::Sqlite) {
        foreignKeysOff.emplace(db);
    }
    MigrationTransaction transaction(db, dialect);
    if (Status begun = transaction.begin(); !begun) {
        return begun.error();
    }
    if (dialect == Dialect::Postgres) {
        // Held until this transaction ends; a second instance waits here, then sees the row.
        if (Status locked = exec(db, u"SELECT pg_advisory_xact_lock(%1)"_s.arg(kMigrationLockKey),
                                 u"cannot take the migration lock"_s);
            !locked) {
            return locked.error();
        }
    }
    if (Status created = createSchemaTable(db, dialect); !created) {
        return created.error();
    }
    {
        QSqlQuery recorded(db);
        recorded.prepare(u"SELECT count(*) FROM schema_migrations WHERE version = ?"_s);
        recorded.addBindValue(migration.version);
        if (!recorded.exec() || !recorded.next()) {
            return migrationError(u"cannot read schema_migrations: "_s
                                  + recorded.lastError().text());
        }
        if (recorded.value(0).toInt() > 0) {
            recorded.finish();
            qCInfo(lcSql).noquote() << migration.name << "was applied by another connection";
            if (Status committed = transaction.commit(migration.name); !committed) {
                return committed.error();
            }
            return false;
        }
    }

    for (qsizetype i = 0; i < statements.size(); ++i) {
        QSqlQuery query(db);
        if (!query.exec(statements.at(i))) {
            return migrationError(u"%1 statement %2 (%3): %4"_s.arg(
                migration.name, QString::number(i + 1), excerpt(statements.at(i)),
                query.lastError().text()));
        }
    }

    {
        QSqlQuery record(db);
        record.prepare(u"INSERT INTO schema_migrations (version, name) VALUES (?, ?)"_s);
        record.addBindValue(migration.version);
        record.addBindValue(migration.name);
        if (!record.exec()) {
            return migrationError(u"cannot record "_s + migration.name + u": "_s
                                  + record.lastError().text());
        }
    }
    if (dialect == Dialect::Sqlite) {
        if (Status checked = checkForeignKeys(db, migration.name); !checked) {
            return checked.error();
        }
    }
    if (Status committed = transaction.commit(migration.name); !committed) {
        return committed.error();
    }
    qCInfo(lcSql).noquote() << "applied migration" << migration.name << "("
                            << statements.size() << "statements )";
    return true;
}

} // namespace

// inboxcore is a static library: without a reference to its resource initialiser the linker
// may drop the compiled qrc, and :/migrations would be empty. (Q_INIT_RESOURCE must be used
// outside any namespace.)
static void ensureResources()
{
    static const bool registered = [] {
        Q_INIT_RESOURCE(resources);
        return true;
    }();
    Q_UNUSED(registered);
}

Migrator::Migrator(Dialect dialect)
    : Migrator(dialect, u":/migrations/"_s + dialectName(dialect))
{
}

Migrator::Migrator(Dialect dialect, const QString &folder) : m_dialect(dialect), m_folder(folder)
{
    ensureResources();
}

QList<Migration> Migrator::available() const
{
    static const QRegularExpression numbered(u"^(\\d+)_.*\\.sql$"_s);
    const QDir dir(m_folder);
    QList<Migration> migrations;
    for (const QString &name : dir.entryList({u"*.sql"_s}, QDir::Files, QDir::Name)) {
        const QRegularExpressionMatch match = numbered.match(name);
        if (!match.hasMatch()) {
            qCWarning(lcSql).noquote() << "ignoring" << dir.filePath(name)
                                       << "(migrations are named NNNN_what.sql)";
            continue;
        }
        migrations.append({match.captured(1).toInt(), name, dir.filePath(name)});
    }
    std::stable_sort(migrations.begin(), migrations.end(),
                     [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return migrations;
}

Result<int> Migrator::pending(QSqlDatabase &db) const
{
    const QList<Migration> migrations = available();
    if (Status numbered = checkNumbering(migrations, m_folder); !numbered) {
        return numbered.error();
    }
    Result<QSet<int>> applied = appliedVersions(db, m_dialect);
    if (!applied) {
        return applied.error();
    }
    return int(std::count_if(migrations.cbegin(), migrations.cend(), [&](const Migration &m) {
        return !applied->contains(m.version);
    }));
}

Result<QStringList> Migrator::apply(QSqlDatabase &db) const
{
    const QList<Migration> migrations = available();
    if (Status numbered = checkNumbering(migrations, m_folder); !numbered) {
        return numbered.error();
    }
    // A first look without the lock: the usual start-up finds nothing to do and takes no lock.
    Result<QSet<int>> applied = appliedVersions(db, m_dialect);
    if (!applied) {
        return applied.error();
    }
    QSet<int> known;
    for (const Migration &migration : migrations) {
        known.insert(migration.version);
    }
    for (int version : std::as_const(applied.value())) {
        if (!known.contains(version)) {
            qCWarning(lcSql) << "the database has migration" << version
                             << "which this build does not know: was it migrated by a newer one?";
        }
    }

    QStringList done;
    for (const Migration &migration : migrations) {
        if (applied->contains(migration.version)) {
            continue;
        }
        Result<bool> ran = applyOne(db, m_dialect, migration);
        if (!ran) {
            return ran.error();
        }
        if (ran.value()) {
            done.append(migration.name);
        }
    }
    return done;
}

Result<int> Migrator::currentVersion(QSqlDatabase &db)
{
    const Dialect dialect = dialectOf(db);
    Result<bool> exists = schemaTableExists(db, dialect);
    if (!exists) {
        return exists.error();
    }
    if (!exists.value()) {
        return 0;
    }
    QSqlQuery query(db);
    if (!query.exec(u"SELECT coalesce(max(version), 0) FROM schema_migrations"_s) || !query.next()) {
        return migrationError(u"cannot read schema_migrations: "_s + query.lastError().text());
    }
    return query.value(0).toInt();
}

QStringList Migrator::splitStatements(const QString &sql)
{
    static const QRegularExpression createTrigger(
        u"^CREATE\\s+(TEMP\\s+|TEMPORARY\\s+)?TRIGGER\\b"_s,
        QRegularExpression::CaseInsensitiveOption);
    // A SQLite trigger body is BEGIN ... END; a PostgreSQL trigger has none (EXECUTE FUNCTION).
    static const QRegularExpression begin(u"\\bBEGIN\\b"_s,
                                          QRegularExpression::CaseInsensitiveOption);

    QStringList statements;
    QString current;
    bool inDollarQuote = false;
    auto finish = [&] {
        QString statement = current.trimmed();
        current.clear();
        if (statement.endsWith(u';')) {
            statement.chop(1);
            statement = statement.trimmed();
        }
        if (!statement.isEmpty()) {
            statements.append(statement);
        }
    };

    const QStringList lines = sql.split(u'\n');
    for (const QString &rawLine : lines) {
        const QString line = rawLine.endsWith(u'\r') ? rawLine.chopped(1) : rawLine;
        const QString trimmed = line.trimmed();
        if (!inDollarQuote && (trimmed.isEmpty() || trimmed.startsWith(u"--"_s))) {
            continue;
        }
        current += line + u'\n';
        if (line.count(u"$$"_s) % 2 == 1) {
            inDollarQuote = !inDollarQuote;
        }
        if (inDollarQuote || !trimmed.endsWith(u';')) {
            continue;
        }
        const QString head = current.trimmed();
        const bool triggerBody = createTrigger.match(head).hasMatch() && begin.match(head).hasMatch();
        if (triggerBody && trimmed.compare(u"END;"_s, Qt::CaseInsensitive) != 0) {
            continue;
        }
        finish();
    }
    finish();
    return statements;
}
