// SPDX-License-Identifier: MIT
#pragma once
// Which inbox a Twilio webhook is for, and the auth token that signs it, without a database
// round trip per webhook: lookups are cached for a short time (30 s; misses for 2 s, so a flood
// of bad requests cannot hammer the database) and dropped at once when an inbox changes on this
// instance. Another instance's change is seen within the time-to-live.
//
// Thread-safe: read from every HTTP thread.

#include "core/result.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class Database;
class SecretStore;
struct Config;

// An inbox as a webhook needs it. Holds the secret: never logged, never returned.
struct InboxRoute
{
    QString inboxId;
    QString teamId;
    QString channel; // sms | whatsapp | voice
    QString address;
    QString accountSid;
    QString messagingServiceSid;
    QByteArray authToken;
    QStringList agentNumbers; // voice: who to ring
};

// What a webhook says about its inbox: its Messaging Service, or its account and the two
// addresses (To and From), one of which is ours.
struct WebhookKey
{
    QString messagingServiceSid;
    QString accountSid;
    QStringList addresses;

    [[nodiscard]] QString cacheKey() const;
};

class InboxDirectory : public QObject
{
    Q_OBJECT
public:
    InboxDirectory(Database *db, const SecretStore *secrets, const Config *config,
                   QObject *parent = nullptr);

    // The candidates if known, without waiting; nullopt when they must be loaded.
    [[nodiscard]] std::optional<QList<InboxRoute>> cached(const WebhookKey &key) const;
    // Loads the candidates (inboxes with a readable auth token), caches them, and answers on
    // this object's thread. An inbox of the TWILIO_* environment is created on the way if it is
    // missing (the first team's default inbox).
    void load(const WebhookKey &key, std::function<void(Result<QList<InboxRoute>>)> done);
    // Forgets every cached lookup (an inbox was created, changed or deleted).
    void invalidate();

private:
    struct Entry
    {
        QList<InboxRoute> routes;
        QDeadlineTimer expires;
    };

    Database *m_db;
    const SecretStore *m_secrets;
    const Config *m_config;
    mutable QMutex m_mutex;
    QHash<QString, Entry> m_cache;
};
