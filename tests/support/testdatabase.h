// SPDX-License-Identifier: MIT
#pragma once
// A fresh, empty database for one test: a SQLite file in a temporary dir, or a new database in the
// PostgreSQL cluster that the ctest fixture `inbox.pg_start` started. Dropped when destroyed.

#include "storage/dialect.h"

#include <QSqlDatabase>
#include <QString>

#include <memory>

class QTemporaryDir;

class TestDatabase
{
public:
    // On failure (no PostgreSQL fixture, CREATE DATABASE refused) this records a test failure with
    // QTest::qFail, explaining why, and returns an object whose isValid() is false: follow it with
    // QVERIFY(db.isValid()). A missing fixture is never a skip.
    [[nodiscard]] static TestDatabase create(Dialect dialect);

    TestDatabase(TestDatabase &&other) noexcept;
    TestDatabase &operator=(TestDatabase &&other) noexcept;
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;
    ~TestDatabase();

    [[nodiscard]] bool isValid() const { return !m_url.isEmpty(); }
    [[nodiscard]] Dialect dialect() const { return m_dialect; }
    // sqlite:///abs/path.db or postgresql://postgres@127.0.0.1:<port>/t_<random>
    [[nodiscard]] QString url() const { return m_url; }
    // Adds a QSQLITE/QPSQL connection with this name and opens it (check isOpen()).
    [[nodiscard]] QSqlDatabase open(const QString &connectionName) const;

private:
    explicit TestDatabase(Dialect dialect);
    void drop();

    Dialect m_dialect;
    QString m_url;
    std::unique_ptr<QTemporaryDir> m_tempDir; // SQLite: owns the file
    QString m_adminUrl;                       // PostgreSQL: where to DROP DATABASE from
    QString m_databaseName;                   // PostgreSQL: t_<random>
};
