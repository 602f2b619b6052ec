// SPDX-License-Identifier: MIT
#include "eventstore.h"

#include "storage/sqlrow.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace EventStore {

Result<qint64> append(DbConnection &db, const QString &teamId, const QString &type,
                      const QJsonObject &payload)
{
    Q_ASSERT_X(db.inTransaction(), "EventStore::append", "events are written inside the change's transaction");
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"INSERT INTO events (team_id, type, payload, created_at) VALUES (?, ?, ?, ?) RETURNING id"_s,
        {teamId.isEmpty() ? QVariant() : QVariant(teamId), type,
         QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)), nowIso()});
    if (!row) {
        return row.error();
    }
    const qint64 id = row.value()->integer(u"id"_s);
    db.noteEventWritten(id);
    return id;
}

Result<std::optional<qint64>> appendOnChange(DbConnection &db, const QString &change,
                                             const QVariantList &changeBinds, const NewEvent &event)
{
    Q_ASSERT_X(db.inTransaction(), "EventStore::appendOnChange",
               "events are written inside the change's transaction");
    if (db.dialect() == Dialect::Sqlite) {
        Result<std::optional<SqlRow>> changed = db.queryOne(change, changeBinds);
        if (!changed) {
            return changed.error();
        }
        if (!changed.value()) {
            return std::optional<qint64>();
        }
        Result<qint64> id = append(db, event.teamId, event.type, event.payload);
        if (!id) {
            return id.error();
        }
        return std::optional<qint64>(id.value());
    }
    QVariantList binds = changeBinds;
    binds << (event.teamId.isEmpty() ? QVariant() : QVariant(event.teamId)) << event.type
          << QString::fromUtf8(QJsonDocument(event.payload).toJson(QJsonDocument::Compact))
          << nowIso();
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"WITH changed AS ("_s + change
            + u") INSERT INTO events (team_id, type, payload, created_at) "
              "SELECT CAST(? AS text), CAST(? AS text), CAST(? AS jsonb), CAST(? AS timestamptz) "
              "WHERE EXISTS (SELECT 1 FROM changed) RETURNING id"_s,
        binds);
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<qint64>();
    }
    const qint64 id = row.value()->integer(u"id"_s);
    db.noteEventWritten(id);
    return std::optional<qint64>(id);
}

Result<QList<StoredEvent>> after(DbConnection &db, qint64 afterId, int limit)
{
    Result<SqlRows> rows = db.query(
        u"SELECT id, team_id, type, payload, created_at FROM events WHERE id > ? ORDER BY id LIMIT ?"_s,
        {afterId, limit});
    if (!rows) {
        return rows.error();
    }
    QList<StoredEvent> events;
    events.reserve(rows->size());
    for (const SqlRow &row : rows.value()) {
        events.append({row.integer(u"id"_s), row.text(u"team_id"_s), row.text(u"type"_s),
                       row.json(u"payload"_s).toObject(), row.time(u"created_at"_s)});
    }
    return events;
}

} // namespace EventStore
