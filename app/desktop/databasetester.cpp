// SPDX-License-Identifier: MIT
#include "databasetester.h"

#include "config/config.h"
#include "storage/database.h"
#include "storage/dbconnection.h"

#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QStandardPaths>
#include <QThread>
#include <QUrl>

using namespace Qt::StringLiterals;

DatabaseTestResult DatabaseTester::testNow(const QString &input, const QString &dataDir)
{
    QString folder = dataDir;
    if (folder.isEmpty()) {
        folder = QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
                         .filePath(u"inbox-central"_s);
    }
    const QString url = input.trimmed().isEmpty()
            ? u"sqlite://"_s + QDir(folder).filePath(u"inbox-central.db"_s)
            : input;
    Result<QString> normalised = normaliseDatabaseUrl(url, folder);
    if (!normalised) {
        return {false, normalised.error().detail};
    }
    const bool sqlite = normalised.value().startsWith(u"sqlite:"_s);
    if (sqlite) {
        const QString path = normalised.value().mid(u"sqlite://"_s.size());
        const QFileInfo file(path);
        if (!file.exists()) {
            const QFileInfo parent(file.absolutePath());
            if (parent.exists() && !parent.isWritable()) {
                return {false, tr("The folder %1 is not writable.").arg(parent.absoluteFilePath())};
            }
            return {true, tr("%1 does not exist yet; the server creates it when it starts.").arg(path)};
        }
    }
    Result<std::unique_ptr<Database>> db = Database::open(normalised.value(), 1);
    if (!db) {
        return {false, db.error().detail};
    }
    Result<QString> version = db.value()->runBlocking<QString>(
            DbAccess::Read, [sqlite](DbConnection &c) -> Result<QString> {
                Result<std::optional<SqlRow>> row = c.queryOne(
                        sqlite ? u"SELECT sqlite_version() AS v"_s : u"SELECT version() AS v"_s);
                if (!row) {
                    return row.error();
                }
                return row.value() ? row.value()->text(u"v"_s) : QString();
            });
    db.value()->close();
    if (!version) {
        return {false, version.error().detail};
    }
    QString shown = version.value().section(u',', 0, 0);
    return {true, sqlite ? tr("Connected (SQLite %1).").arg(shown) : tr("Connected (%1).").arg(shown)};
}

void DatabaseTester::test(const QString &url, const QString &dataDir, QObject *context,
                          std::function<void(DatabaseTestResult)> done)
{
    const QPointer<QObject> guard(context);
    QThread *thread = QThread::create([url, dataDir, guard, done = std::move(done)] {
        DatabaseTestResult result = testNow(url, dataDir);
        if (guard) {
            QMetaObject::invokeMethod(guard, [done, result] { done(result); });
        }
    });
    thread->setObjectName(u"database-test"_s);
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}
