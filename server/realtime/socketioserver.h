// SPDX-License-Identifier: MIT
#pragma once
// The Socket.IO v5 layer over EngineIoServer: namespaces, CONNECT with an auth payload (decided
// asynchronously by the application), events and acks (binary too), rooms, and emitting to a
// socket or a room. Lives on the real-time thread with its EngineIoServer.

#include "realtime/engineioserver.h"
#include "realtime/socketiopacket.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QVariant>

#include <functional>
#include <memory>
#include <optional>

struct SocketIoSettings
{
    int connectTimeoutMs = 45000; // no namespace joined by then: the connection is closed
};

// One socket: a client's connection to one namespace.
struct SioSocket
{
    QString id;      // the Socket.IO sid (not the Engine.IO one)
    QString nsp;
    QString engineSid;
    QSet<QString> rooms;
    QVariant data;   // the application's (e.g. who the user is)
};

// What the application answers to a CONNECT: accept (with optional data), or refuse with a
// message and data the client sees as err.message / err.data.
struct ConnectDecision
{
    bool accepted = false;
    QVariant data;
    QString message;
    QJsonValue errorData;
    QString pid;       // connection state recovery: the private session id to hand out
    QString restoreSid; // a recovered socket keeps its old id
};

class SocketIoServer : public QObject
{
    Q_OBJECT
public:
    using Decide = std::function<void(ConnectDecision)>;
    using ConnectHandler =
        std::function<void(const SioSocket &socket, const QJsonObject &auth, const Handshake &handshake, Decide decide)>;
    using Ack = std::function<void(const QJsonArray &args, const QList<QByteArray> &buffers)>;
    using EventHandler = std::function<void(SioSocket &socket, const QJsonArray &args,
                                            const QList<QByteArray> &buffers, Ack ack)>;

    SocketIoServer(EngineIoServer *engine, SocketIoSettings settings, QObject *parent = nullptr);

    // Serves namespace `nsp`; CONNECTs to any other namespace are refused.
    void addNamespace(const QString &nsp, ConnectHandler onConnect);
    // Handles event `name` on `nsp` (args exclude the name; binary args are placeholders).
    void on(const QString &nsp, const QString &name, EventHandler handler);

    // `data` of an EVENT: [name, ...args]. Binary args are placeholders + `buffers`.
    void emitTo(const QString &socketId, const QString &name, const QJsonArray &args,
                const QList<QByteArray> &buffers = {});
    void emitToRoom(const QString &nsp, const QString &room, const QString &name,
                    const QJsonArray &args, const QString &exceptSocketId = {});
    void join(const QString &socketId, const QString &room);
    void leave(const QString &socketId, const QString &room);
    void disconnectSocket(const QString &socketId); // server-side DISCONNECT

    [[nodiscard]] SioSocket *socket(const QString &socketId);
    [[nodiscard]] int socketCount() const { return int(m_sockets.size()); }

Q_SIGNALS:
    void socketConnected(const QString &socketId);
    void socketDisconnected(const QString &socketId, const QString &reason);

private:
    struct Client;
    void onOpened(const QString &engineSid);
    void onMessage(const QString &engineSid, const EngineIo::Packet &packet);
    void onClosed(const QString &engineSid, const QString &reason);
    void handlePacket(Client &client, SocketIo::Packet packet);
    void handleConnect(Client &client, const SocketIo::Packet &packet);
    void removeSocket(const QString &socketId, const QString &reason);
    void sendPacket(const QString &engineSid, const SocketIo::Packet &packet);
    void protocolError(const QString &engineSid);

    EngineIoServer *m_engine;
    SocketIoSettings m_settings;
    QHash<QString, ConnectHandler> m_namespaces;
    QHash<QString, QHash<QString, EventHandler>> m_handlers; // nsp → event → handler
    QHash<QString, std::shared_ptr<Client>> m_clients;       // engine sid → client
    QHash<QString, std::shared_ptr<SioSocket>> m_sockets;    // socket id → socket
    QHash<QString, QSet<QString>> m_rooms;                   // nsp + '\n' + room → socket ids
};
