// SPDX-License-Identifier: MIT
#include "settingsservice.h"

#include "domain/settings/teamsettings.h"
#include "domain/settings/usersettings.h"
#include "domain/teamaccess.h"
#include "storage/database.h"
#include "storage/eventstore.h"
#include "storage/settingsstore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

const QString kSettingsUpdated = u"settings.updated"_s;

// Which keys a PATCH touched, for the event (small payload; clients re-read the document).
QJsonArray keysOf(const QJsonObject &patch)
{
    return QJsonArray::fromStringList(patch.keys());
}

} // namespace

SettingsService::SettingsService(Database *db, QObject *parent) : QObject(parent), m_db(db)
{
}

void SettingsService::userSettings(const QString &userId, Reply<QJsonObject> done)
{
    m_db->run<QJsonObject>(
        DbAccess::Read,
        [userId](DbConnection &db) -> Result<QJsonObject> {
            Result<QJsonObject> stored = SettingsStore::userDocument(db, userId);
            if (!stored) {
                return stored.error();
            }
            return UserSettings::withDefaults(stored.value());
        },
        this, done);
}

void SettingsService::updateUserSettings(const QString &userId, const QJsonObject &patch,
                                         Reply<QJsonObject> done)
{
    m_db->run<QJsonObject>(
        DbAccess::Write,
        [userId, patch](DbConnection &db) -> Result<QJsonObject> {
            return runInTransaction<QJsonObject>(db, [&]() -> Result<QJsonObject> {
                Result<bool> exists = SettingsStore::lockUser(db, userId);
                if (!exists) {
                    return exists.error();
                }
                if (!exists.value()) {
                    return ApiError::unauthorized(u"The account no longer exists."_s);
                }
                Result<QJsonObject> stored = SettingsStore::userDocument(db, userId);
                if (!stored) {
                    return stored.error();
                }
                Result<QJsonObject> merged = UserSettings::merge(stored.value(), patch);
                if (!merged) {
                    return merged.error();
                }
                if (Status saved = SettingsStore::saveUserDocument(db, userId, merged.value());
                    !saved) {
                    return saved.error();
                }
                // A user's own preferences belong to no team: the event has none, and names the
                // user so the real-time layer can tell that user's other sessions.
                Result<qint64> event = EventStore::append(
                    db, QString(), kSettingsUpdated,
                    QJsonObject{{u"scope"_s, u"user"_s}, {u"userId"_s, userId},
                                {u"keys"_s, keysOf(patch)}});
                if (!event) {
                    return event.error();
                }
                return UserSettings::withDefaults(merged.value());
            });
        },
        this, done);
}

void SettingsService::teamSettings(const QString &actorId, const QString &teamId,
                                   Reply<QJsonObject> done)
{
    m_db->run<QJsonObject>(
        DbAccess::Read,
        [actorId, teamId](DbConnection &db) -> Result<QJsonObject> {
            if (Result<Role> role = requireRole(db, teamId, actorId, Role::Viewer); !role) {
                return role.error();
            }
            Result<QString> name = SettingsStore::teamName(db, teamId);
            if (!name) {
                return name.error();
            }
            Result<QJsonObject> stored = SettingsStore::teamDocument(db, teamId);
            if (!stored) {
                return stored.error();
            }
            return TeamSettings::withDefaults(name.value(), stored.value());
        },
        this, done);
}

void SettingsService::updateTeamSettings(const QString &actorId, const QString &teamId,
                                         const QJsonObject &patch, Reply<QJsonObject> done)
{
    m_db->run<QJsonObject>(
        DbAccess::Write,
        [actorId, teamId, patch](DbConnection &db) -> Result<QJsonObject> {
            return runInTransaction<QJsonObject>(db, [&]() -> Result<QJsonObject> {
                if (Result<Role> role = requireRole(db, teamId, actorId, Role::Admin); !role) {
                    return role.error();
                }
                if (Result<bool> locked = SettingsStore::lockTeam(db, teamId); !locked) {
                    return locked.error();
                }
                Result<QJsonObject> stored = SettingsStore::teamDocument(db, teamId);
                if (!stored) {
                    return stored.error();
                }
                Result<TeamSettings::Change> change = TeamSettings::merge(stored.value(), patch);
                if (!change) {
                    return change.error();
                }
                if (change->name) {
                    if (Status renamed = SettingsStore::setTeamName(db, teamId, *change->name);
                        !renamed) {
                        return renamed.error();
                    }
                }
                if (Status saved = SettingsStore::saveTeamDocument(db, teamId, change->document);
                    !saved) {
                    return saved.error();
                }
                Result<qint64> event = EventStore::append(
                    db, teamId, kSettingsUpdated,
                    QJsonObject{{u"scope"_s, u"team"_s}, {u"teamId"_s, teamId},
                                {u"keys"_s, keysOf(patch)}});
                if (!event) {
                    return event.error();
                }
                Result<QString> name = SettingsStore::teamName(db, teamId);
                if (!name) {
                    return name.error();
                }
                return TeamSettings::withDefaults(name.value(), change->document);
            });
        },
        this, done);
}
