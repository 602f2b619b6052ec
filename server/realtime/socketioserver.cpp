// SPDX-License-Identifier: MIT
#include "socketioserver.h"

#include "core/crypto.h"
#include "core/logging.h"

#include <QTimer>

using namespace Qt::StringLiterals;
using SocketIo::PacketType;

struct SocketIoServer::Client
{
    QString engineSid;
    QHash<QString, QString> sockets;          // nsp → socket id
    QSet<QString> connecting;                 // nsps whose CONNECT awaits a decision
    std::optional<SocketIo::Packet> pendingBinary; // a binary packet waiting for attachments
    bool sawConnect = false;
    std::unique_ptr<QTimer> connectTimer;
};

namespace {

QString roomKey(const QString &nsp, const QString &room)
{
    return nsp + u'\n' + room;
}

EngineIo::Packet asMessage(const QByteArray &encoded)
{
    return EngineIo::Packet::message(encoded);
}

} // namespace

SocketIoServer::SocketIoServer(EngineIoServer *engine, SocketIoSettings settings, QObject *parent)
    : QObject(parent), m_engine(engine), m_settings(settings)
{
    connect(engine, &EngineIoServer::opened, this, &SocketIoServer::onOpened);
    connect(engine, &EngineIoServer::message, this, &SocketIoServer::onMessage);
    connect(engine, &EngineIoServer::closed, this, &SocketIoServer::onClosed);
}

void SocketIoServer::addNamespace(const QString &nsp, ConnectHandler onConnect)
{
    m_namespaces.insert(nsp, std::move(onConnect));
}

void SocketIoServer::on(const QString &nsp, const QString &name, EventHandler handler)
{
    m_handlers[nsp].insert(name, std::move(handler));
}

SioSocket *SocketIoServer::socket(const QString &socketId)
{
    const auto it = m_sockets.find(socketId);
    return it == m_sockets.end() ? nullptr : it->get();
}

void SocketIoServer::onOpened(const QString &engineSid)
{
    auto client = std::make_shared<Client>();
    client->engineSid = engineSid;
    client->connectTimer = std::make_unique<QTimer>();
    client->connectTimer->setSingleShot(true);
    connect(client->connectTimer.get(), &QTimer::timeout, this, [this, engineSid] {
        const auto it = m_clients.find(engineSid);
        if (it != m_clients.end() && (*it)->sockets.isEmpty()) {
            m_engine->close(engineSid, u"connect timeout"_s);
        }
    });
    client->connectTimer->start(m_settings.connectTimeoutMs);
    m_clients.insert(engineSid, client);
}

void SocketIoServer::onClosed(const QString &engineSid, const QString &reason)
{
    const auto it = m_clients.find(engineSid);
    if (it == m_clients.end()) {
        return;
    }
    const std::shared_ptr<Client> client = *it;
    m_clients.erase(it);
    for (const QString &socketId : std::as_const(client->sockets)) {
        removeSocket(socketId, reason);
    }
}

void SocketIoServer::protocolError(const QString &engineSid)
{
    m_engine->close(engineSid, u"parse error"_s);
}

void SocketIoServer::onMessage(const QString &engineSid, const EngineIo::Packet &message)
{
    const auto it = m_clients.find(engineSid);
    if (it == m_clients.end()) {
        return;
    }
    const std::shared_ptr<Client> client = *it;
    if (message.binary) {
        if (!client->pendingBinary) {
            return protocolError(engineSid); // binary without a header waiting for it
        }
        client->pendingBinary->buffers.append(message.data);
        if (client->pendingBinary->buffers.size() == client->pendingBinary->attachments) {
            SocketIo::Packet complete = std::move(*client->pendingBinary);
            client->pendingBinary.reset();
            handlePacket(*client, std::move(complete));
        }
        return;
    }
    if (client->pendingBinary) {
        return protocolError(engineSid); // text while attachments are expected
    }
    Result<SocketIo::Packet> packet = SocketIo::decode(message.data);
    if (!packet) {
        return protocolError(engineSid);
    }
    if (packet->attachments > 0) {
        client->pendingBinary = std::move(packet.value());
        return;
    }
    handlePacket(*client, std::move(packet.value()));
}

void SocketIoServer::handlePacket(Client &client, SocketIo::Packet packet)
{
    if (!client.sawConnect && packet.type != PacketType::Connect) {
        return protocolError(client.engineSid); // the first packet must be a CONNECT
    }
    switch (packet.type) {
    case PacketType::Connect:
        client.sawConnect = true;
        handleConnect(client, packet);
        return;
    case PacketType::Disconnect:
        if (const QString id = client.sockets.take(packet.nsp); !id.isEmpty()) {
            removeSocket(id, u"client namespace disconnect"_s);
        }
        return;
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        const QString socketId = client.sockets.value(packet.nsp);
        SioSocket *target = socket(socketId);
        if (!target) {
            return; // not connected to that namespace: ignored, as the reference does
        }
        QJsonArray args = packet.data.toArray();
        const QString name = args.first().isString() ? args.first().toString()
                                                     : QString::number(args.first().toDouble());
        args.removeFirst();
        const auto handler = m_handlers.value(packet.nsp).value(name);
        if (!handler) {
            return;
        }
        Ack ack;
        if (packet.id) {
            const QString engineSid = client.engineSid;
            const QString nsp = packet.nsp;
            const qint64 id = *packet.id;
            auto answered = std::make_shared<bool>(false);
            ack = [this, engineSid, nsp, id, answered](const QJsonArray &reply, const QList<QByteArray> &buffers) {
                if (std::exchange(*answered, true)) {
                    return; // an ack is sent once
                }
                SocketIo::Packet out;
                out.type = buffers.isEmpty() ? PacketType::Ack : PacketType::BinaryAck;
                out.nsp = nsp;
                out.id = id;
                out.data = reply;
                out.buffers = buffers;
                sendPacket(engineSid, out);
            };
        }
        handler(*target, args, packet.buffers, ack);
        return;
    }
    case PacketType::Ack:
    case PacketType::BinaryAck:
        return; // the server emits no events that expect an ack
    case PacketType::ConnectError:
        return protocolError(client.engineSid);
    }
}

void SocketIoServer::handleConnect(Client &client, const SocketIo::Packet &packet)
{
    const QString nsp = packet.nsp;
    const auto handler = m_namespaces.constFind(nsp);
    if (handler == m_namespaces.cend()) {
        SocketIo::Packet refusal;
        refusal.type = PacketType::ConnectError;
        refusal.nsp = nsp;
        refusal.data = QJsonObject{{u"message"_s, u"Invalid namespace"_s}};
        sendPacket(client.engineSid, refusal);
        return;
    }
    if (client.sockets.contains(nsp) || client.connecting.contains(nsp)) {
        return; // already connected (or connecting) to that namespace
    }
    client.connecting.insert(nsp);
    auto socket = std::make_shared<SioSocket>();
    socket->id = QString::fromLatin1(Crypto::base64UrlEncode(Crypto::randomBytes(15)));
    socket->nsp = nsp;
    socket->engineSid = client.engineSid;
    const Handshake *handshake = m_engine->handshake(client.engineSid);
    const Handshake shake = handshake ? *handshake : Handshake{};
    const QString engineSid = client.engineSid;
    QPointer<SocketIoServer> self(this);
    (*handler)(*socket, packet.data.toObject(), shake, [self, engineSid, socket](ConnectDecision decision) {
        // May run later (the application checks a database): the client may be gone by then.
        if (!self) {
            return;
        }
        QMetaObject::invokeMethod(self, [self, engineSid, socket, decision] {
            if (!self) {
                return;
            }
            SocketIoServer &server = *self;
            const auto it = server.m_clients.find(engineSid);
            if (it == server.m_clients.end()) {
                return;
            }
            Client &client = **it;
            client.connecting.remove(socket->nsp);
            if (!decision.accepted) {
                SocketIo::Packet refusal;
                refusal.type = PacketType::ConnectError;
                refusal.nsp = socket->nsp;
                QJsonObject body{{u"message"_s, decision.message}};
                if (!decision.errorData.isUndefined()) {
                    body.insert(u"data"_s, decision.errorData);
                }
                refusal.data = body;
                server.sendPacket(engineSid, refusal);
                return;
            }
            socket->data = decision.data;
            if (!decision.restoreSid.isEmpty() && !server.m_sockets.contains(decision.restoreSid)) {
                socket->id = decision.restoreSid;
            }
            server.m_sockets.insert(socket->id, socket);
            client.sockets.insert(socket->nsp, socket->id);
            client.connectTimer->stop();
            SocketIo::Packet reply;
            reply.type = PacketType::Connect;
            reply.nsp = socket->nsp;
            QJsonObject replyData{{u"sid"_s, socket->id}};
            if (!decision.pid.isEmpty()) {
                replyData.insert(u"pid"_s, decision.pid);
            }
            reply.data = replyData;
            server.sendPacket(engineSid, reply);
            Q_EMIT server.socketConnected(socket->id);
        }, Qt::QueuedConnection);
    });
}

void SocketIoServer::sendPacket(const QString &engineSid, const SocketIo::Packet &packet)
{
    QList<EngineIo::Packet> out{asMessage(SocketIo::encode(packet))};
    for (const QByteArray &buffer : packet.buffers) {
        out.append(EngineIo::Packet::binaryMessage(buffer));
    }
    m_engine->send(engineSid, out);
}

void SocketIoServer::emitTo(const QString &socketId, const QString &name, const QJsonArray &args,
                            const QList<QByteArray> &buffers)
{
    const SioSocket *target = socket(socketId);
    if (!target) {
        return;
    }
    SocketIo::Packet packet;
    packet.type = buffers.isEmpty() ? PacketType::Event : PacketType::BinaryEvent;
    packet.nsp = target->nsp;
    QJsonArray data{name};
    for (const QJsonValue &arg : args) {
        data.append(arg);
    }
    packet.data = data;
    packet.buffers = buffers;
    sendPacket(target->engineSid, packet);
}

void SocketIoServer::emitToRoom(const QString &nsp, const QString &room, const QString &name,
                                const QJsonArray &args, const QString &exceptSocketId)
{
    const auto members = m_rooms.constFind(roomKey(nsp, room));
    if (members == m_rooms.cend()) {
        return;
    }
    // Encoded once for every member: fan-out cost is one send per socket.
    SocketIo::Packet packet;
    packet.type = PacketType::Event;
    packet.nsp = nsp;
    QJsonArray data{name};
    for (const QJsonValue &arg : args) {
        data.append(arg);
    }
    packet.data = data;
    QList<QString> engineSids;
    engineSids.reserve(members->size());
    for (const QString &socketId : *members) {
        if (socketId == exceptSocketId) {
            continue;
        }
        if (const SioSocket *target = socket(socketId)) {
            engineSids.append(target->engineSid);
        }
    }
    m_engine->sendToMany(engineSids, asMessage(SocketIo::encode(packet)));
}

void SocketIoServer::join(const QString &socketId, const QString &room)
{
    if (SioSocket *target = socket(socketId)) {
        target->rooms.insert(room);
        m_rooms[roomKey(target->nsp, room)].insert(socketId);
    }
}

void SocketIoServer::leave(const QString &socketId, const QString &room)
{
    if (SioSocket *target = socket(socketId)) {
        target->rooms.remove(room);
        const QString key = roomKey(target->nsp, room);
        auto it = m_rooms.find(key);
        if (it != m_rooms.end()) {
            it->remove(socketId);
            if (it->isEmpty()) {
                m_rooms.erase(it);
            }
        }
    }
}

void SocketIoServer::disconnectSocket(const QString &socketId)
{
    const SioSocket *target = socket(socketId);
    if (!target) {
        return;
    }
    SocketIo::Packet packet;
    packet.type = PacketType::Disconnect;
    packet.nsp = target->nsp;
    sendPacket(target->engineSid, packet);
    if (const auto client = m_clients.find(target->engineSid); client != m_clients.end()) {
        (*client)->sockets.remove(target->nsp);
    }
    removeSocket(socketId, u"server namespace disconnect"_s);
}

void SocketIoServer::removeSocket(const QString &socketId, const QString &reason)
{
    const auto it = m_sockets.find(socketId);
    if (it == m_sockets.end()) {
        return;
    }
    const std::shared_ptr<SioSocket> removed = *it;
    // Listeners still see the socket (its rooms, its data) while they handle its end.
    Q_EMIT socketDisconnected(socketId, reason);
    for (const QString &room : std::as_const(removed->rooms)) {
        auto members = m_rooms.find(roomKey(removed->nsp, room));
        if (members != m_rooms.end()) {
            members->remove(socketId);
            if (members->isEmpty()) {
                m_rooms.erase(members);
            }
        }
    }
    m_sockets.remove(socketId);
}
