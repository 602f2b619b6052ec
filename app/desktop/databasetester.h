// SPDX-License-Identifier: MIT
#pragma once
// The settings window's "Test connection": really opens the database the user typed (SQLite
// file or PostgreSQL URL) and runs a query, on a thread of its own so the window stays live
// while PostgreSQL takes its time to answer or refuse.

#include <QCoreApplication>
#include <QObject>
#include <QString>

#include <functional>

struct DatabaseTestResult
{
    bool ok = false;
    QString message; // a sentence for the user; never contains a password
};

class DatabaseTester
{
    Q_DECLARE_TR_FUNCTIONS(DatabaseTester)
public:
    // `url` as DATABASE_URL takes it (empty: the default SQLite file in `dataDir`). A SQLite file
    // that does not exist yet is not created: the answer says the server will create it.
    // `done` runs on `context`'s thread.
    static void test(const QString &url, const QString &dataDir, QObject *context,
                     std::function<void(DatabaseTestResult)> done);

    // The same, blocking: what the thread runs.
    [[nodiscard]] static DatabaseTestResult testNow(const QString &url, const QString &dataDir);
};
