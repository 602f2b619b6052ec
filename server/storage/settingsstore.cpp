// SPDX-License-Identifier: MIT
#include "settingsstore.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace SettingsStore {

namespace {

Result<QJsonObject> document(DbConnection &db, const QString &sql, const QString &id)
{
    Result<std::optional<SqlRow>> row = db.queryOne(sql, {id});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return QJsonObject();
    }
    return row.value()->json(u"document"_s).toObject();
}

Status save(DbConnection &db, const QString &sql, const QString &id, const QJsonObject &document)
{
    Result<qint64> saved = db.exec(
        sql, {id, QString::fromUtf8(QJsonDocument(document).toJson(QJsonDocument::Compact)),
              nowIso()});
    if (!saved) {
        return saved.error();
    }
    return Done{};
}

Result<bool> lock(DbConnection &db, const QString &table, const QString &id)
{
    const QString forUpdate = db.dialect() == Dialect::Postgres ? u" FOR UPDATE"_s : QString();
    Result<std::optional<SqlRow>> row =
        db.queryOne(u"SELECT id FROM "_s + table + u" WHERE id = ?"_s + forUpdate, {id});
    if (!row) {
        return row.error();
    }
    return row.value().has_value();
}

} // namespace

Result<QJsonObject> userDocument(DbConnection &db, const QString &userId)
{
    return document(db, u"SELECT document FROM user_settings WHERE user_id = ?"_s, userId);
}

Status saveUserDocument(DbConnection &db, const QString &userId, const QJsonObject &document)
{
    return save(db,
                u"INSERT INTO user_settings (user_id, document, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET document = excluded.document, "
                "updated_at = excluded.updated_at"_s,
                userId, document);
}

Result<QJsonObject> teamDocument(DbConnection &db, const QString &teamId)
{
    return document(db, u"SELECT document FROM team_settings WHERE team_id = ?"_s, teamId);
}

Status saveTeamDocument(DbConnection &db, const QString &teamId, const QJsonObject &document)
{
    return save(db,
                u"INSERT INTO team_settings (team_id, document, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (team_id) DO UPDATE SET document = excluded.document, "
                "updated_at = excluded.updated_at"_s,
                teamId, document);
}

Result<bool> lockUser(DbConnection &db, const QString &userId)
{
    return lock(db, u"users"_s, userId);
}

Result<bool> lockTeam(DbConnection &db, const QString &teamId)
{
    return lock(db, u"teams"_s, teamId);
}

Result<QString> teamName(DbConnection &db, const QString &teamId)
{
    Result<std::optional<SqlRow>> row =
        db.queryOne(u"SELECT name FROM teams WHERE id = ?"_s, {teamId});
    if (!row) {
        return row.error();
    }
    return row.value() ? row.value()->text(u"name"_s) : QString();
}

Status setTeamName(DbConnection &db, const QString &teamId, const QString &name)
{
    Result<qint64> updated = db.exec(u"UPDATE teams SET name = ?, updated_at = ? WHERE id = ?"_s,
                                     {name, nowIso(), teamId});
    if (!updated) {
        return updated.error();
    }
    return Done{};
}

} // namespace SettingsStore
