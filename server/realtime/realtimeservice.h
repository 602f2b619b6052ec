// SPDX-License-Identifier: MIT
#pragma once
// The application on the real-time channel: who a socket is (a token in the CONNECT auth, the
// handshake query or the Authorization header; or, for the original frontend's token-less
// sockets, the user recently seen from the same client), which rooms it joins, the client
// events (conversation rooms, typing), and the outbox dispatcher that pushes each committed
// event to the sockets allowed to see it, in commit order, with connection state recovery.
// Lives on the real-time thread.

#include "realtime/socketioserver.h"
#include "storage/eventstore.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

class Database;
class RecentClients;
class TokenService;

struct RealtimeSettings
{
    int recoveryWindowMs = 120000; // 0: no connection state recovery
};

class RealtimeService : public QObject
{
    Q_OBJECT
public:
    RealtimeService(SocketIoServer *io, Database *db, const TokenService *tokens,
                    RecentClients *recent, RealtimeSettings settings, QObject *parent = nullptr);

    // Reads the outbox's current end so only new events are pushed. Call once, on this thread.
    void start();
    // Any thread: events up to `upToId` are committed (Database::eventsCommitted).
    void notifyCommitted(qint64 upToId);

    struct Identity;
    struct Parked;

private:
    void onConnect(const SioSocket &socket, const QJsonObject &auth, const Handshake &handshake,
                   SocketIoServer::Decide decide);
    void admit(const QString &socketId);
    void onDisconnected(const QString &socketId, const QString &reason);
    void poll();
    void deliver(const StoredEvent &event);
    void emitEvent(const QString &room, const QString &name, const QJsonObject &payload,
                   qint64 offset);

    SocketIoServer *m_io;
    Database *m_db;
    const TokenService *m_tokens;
    RecentClients *m_recent;
    RealtimeSettings m_settings;
    qint64 m_delivered = -1;   // highest event id pushed (-1 until start() read the outbox end)
    qint64 m_committed = 0;    // highest id known committed
    bool m_polling = false;
    QHash<qint64, qint64> m_gaps; // ids skipped (PostgreSQL may commit out of order) → first seen ms
    QHash<QString, std::shared_ptr<Parked>> m_parked; // recovery: pid → what a dropped socket had
    QHash<QString, QTimer *> m_expiry;                 // socket id → token expiry timer
    QHash<QString, std::shared_ptr<Parked>> m_recovering; // socket id → being recovered
    QHash<QString, QString> m_conversationTeams;          // conversation id → team id (joined ones)
};
