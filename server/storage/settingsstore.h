// SPDX-License-Identifier: MIT
#pragma once
// SQL for the settings documents (user_settings, team_settings) and the team's name. Runs on a
// database thread; callers own the transaction. Documents are returned as stored (no defaults).

#include "core/result.h"
#include "storage/dbconnection.h"

#include <QJsonObject>

namespace SettingsStore {

// {} when the user never saved a setting.
[[nodiscard]] Result<QJsonObject> userDocument(DbConnection &db, const QString &userId);
[[nodiscard]] Status saveUserDocument(DbConnection &db, const QString &userId,
                                      const QJsonObject &document);
// {} when the team never saved a setting.
[[nodiscard]] Result<QJsonObject> teamDocument(DbConnection &db, const QString &teamId);
[[nodiscard]] Status saveTeamDocument(DbConnection &db, const QString &teamId,
                                      const QJsonObject &document);

// On PostgreSQL, locks the row (users / teams) whose document is about to be read, changed and
// written, so two concurrent PATCHes do not lose one another's keys (SQLite's BEGIN IMMEDIATE
// already serialises writers). Answers whether the row exists.
[[nodiscard]] Result<bool> lockUser(DbConnection &db, const QString &userId);
[[nodiscard]] Result<bool> lockTeam(DbConnection &db, const QString &teamId);

[[nodiscard]] Result<QString> teamName(DbConnection &db, const QString &teamId);
[[nodiscard]] Status setTeamName(DbConnection &db, const QString &teamId, const QString &name);

} // namespace SettingsStore
