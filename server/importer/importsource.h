// SPDX-License-Identifier: MIT
#pragma once
// Reads the original Node backend's PostgreSQL database (Prisma's tables: quoted camelCase names,
// cuid ids, enum types) on the calling thread, one keyset page at a time, so any size streams
// through a bounded amount of memory. Only SELECTs: the source is never changed.
//
// Every query casts what the mapping needs to plain values: enums to text, JSON to its text,
// timestamps to ISO-8601 UTC text (the session runs in UTC, so `timestamp(3)` columns, which
// Prisma fills with UTC, and `timestamptz` ones read the same).

#include "core/result.h"
#include "storage/sqlrow.h"

#include <QString>

#include <memory>

class DbConnection;

// One readable unit of the source: a table, or a view of one (e.g. the users that have Twilio
// settings). `select` names a unique text key column "k" (the id, mostly); pages are ordered by
// it and resumed after the last key seen, so no page is read twice and none is skipped.
struct SourceQuery
{
    QString label; // how progress and the summary name it: "User", "Message", ...
    QString select; // "SELECT <key> AS k, ... FROM ... [WHERE <filter>]": no ORDER BY, no LIMIT
    QString count; // "SELECT count(*) AS count FROM ..." with the same filter
    // When > 0, rows whose keys share their first `groupPrefix` characters form a group that
    // the importer writes before it maps the next group (rows that depend on earlier rows of
    // the same table: a contact merged into a merged contact).
    int groupPrefix = 0;
};

class ImportSource
{
public:
    ImportSource();
    ~ImportSource();
    Q_DISABLE_COPY_MOVE(ImportSource)

    // Opens the connection and checks that the original's tables are there.
    [[nodiscard]] Status open(const QString &url);

    [[nodiscard]] Result<qint64> count(const SourceQuery &query);
    // Up to `limit` rows with key > `after` ("" = from the start), ordered by key.
    [[nodiscard]] Result<SqlRows> page(const SourceQuery &query, const QString &after, int limit);

    // The units read, in the order they are imported (parents before children).
    [[nodiscard]] static SourceQuery users();
    [[nodiscard]] static SourceQuery teams();
    [[nodiscard]] static SourceQuery members();
    [[nodiscard]] static SourceQuery twilioSettings();
    // Contacts in two passes: live ones first, then the merged ones (they point at a live one).
    [[nodiscard]] static SourceQuery liveContacts();
    [[nodiscard]] static SourceQuery mergedContacts();
    // One row per (contact, channel) with messages: the conversation the messages go into.
    [[nodiscard]] static SourceQuery conversations();
    [[nodiscard]] static SourceQuery messages();
    [[nodiscard]] static SourceQuery notes();
    [[nodiscard]] static SourceQuery events();

private:
    QString m_connectionName;
    std::unique_ptr<DbConnection> m_db;
};
