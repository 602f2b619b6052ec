// SPDX-License-Identifier: MIT
#pragma once
// Rows read eagerly from a query, so no statement stays open (an open SQLite statement would
// hold its read snapshot and block COMMIT). Accessors hide the dialects' type differences
// (SQLite: ISO text and 0/1; PostgreSQL: timestamptz and boolean).

#include <QDateTime>
#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>

class SqlRow
{
public:
    SqlRow(std::shared_ptr<const QStringList> columns, QVariantList values)
        : m_columns(std::move(columns)), m_values(std::move(values))
    {
    }

    [[nodiscard]] QVariant value(const QString &column) const;
    [[nodiscard]] QString text(const QString &column) const;
    [[nodiscard]] qint64 integer(const QString &column) const;
    [[nodiscard]] bool flag(const QString &column) const;
    [[nodiscard]] bool isNull(const QString &column) const;
    [[nodiscard]] QDateTime time(const QString &column) const; // invalid when NULL
    [[nodiscard]] QJsonValue json(const QString &column) const; // parsed JSON document text
    // The timestamp as the API writes it: "2026-11-24T22:50:51.123Z", or null.
    [[nodiscard]] QJsonValue isoTime(const QString &column) const;

private:
    std::shared_ptr<const QStringList> m_columns; // column names, in select order
    QVariantList m_values;
};

using SqlRows = QList<SqlRow>;

// Timestamps are written as ISO-8601 UTC with milliseconds in both dialects.
[[nodiscard]] QString isoUtc(const QDateTime &time);
[[nodiscard]] QString nowIso();
