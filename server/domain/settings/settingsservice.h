// SPDX-License-Identifier: MIT
#pragma once
// The settings use cases: a user's own preferences (any signed-in user, for themselves) and a
// team's settings (viewer reads, admin writes). A PATCH is validated key by key and merged into
// the stored document in one transaction that also records `settings.updated`.

#include "core/result.h"

#include <QJsonObject>
#include <QObject>

#include <functional>

class Database;

class SettingsService : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Reply = std::function<void(Result<T>)>;

    explicit SettingsService(Database *db, QObject *parent = nullptr);

    // Full documents, defaults filled in.
    void userSettings(const QString &userId, Reply<QJsonObject> done);
    void updateUserSettings(const QString &userId, const QJsonObject &patch,
                            Reply<QJsonObject> done);
    void teamSettings(const QString &actorId, const QString &teamId, Reply<QJsonObject> done);
    void updateTeamSettings(const QString &actorId, const QString &teamId,
                            const QJsonObject &patch, Reply<QJsonObject> done);

private:
    Database *m_db;
};
