// SPDX-License-Identifier: MIT
#include "socketioclient.h"

#include "clientlogging.h"
#include "socketiopackets.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;
using SocketIoPackets::EngineType;
using SocketIoPackets::Packet;
using SocketIoPackets::Type;

namespace {
constexpr int ConnectTimeoutMs = 20'000;
constexpr int AckCheckMs = 1'000;
} // namespace

SocketIoClient::SocketIoClient(QObject *parent)
    : QObject(parent)
{
    m_pingTimer.setSingleShot(true);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] { transportLost(u"ping timeout"_s); });
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &SocketIoClient::startTransport);
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this,
            [this] { transportLost(u"transport error"_s); });
    m_ackTimer.setInterval(AckCheckMs);
    connect(&m_ackTimer, &QTimer::timeout, this, &SocketIoClient::expireAcks);
}

SocketIoClient::~SocketIoClient()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void SocketIoClient::setUrl(const QUrl &serverUrl, const QString &path)
{
    m_serverUrl = serverUrl;
    m_path = path;
}

void SocketIoClient::setReconnectDelays(int minimumMs, int maximumMs)
{
    m_minDelayMs = minimumMs;
    m_maxDelayMs = maximumMs;
}

QUrl SocketIoClient::endpoint() const
{
    QUrl url = m_serverUrl;
    if (url.scheme() == u"https"_s || url.scheme() == u"wss"_s) {
        url.setScheme(u"wss"_s);
    } else {
        url.setScheme(u"ws"_s);
    }
    QString prefix = url.path();
    while (prefix.endsWith(u'/')) {
        prefix.chop(1);
    }
    url.setPath(prefix + m_path);
    QUrlQuery query;
    query.addQueryItem(u"EIO"_s, u"4"_s);
    query.addQueryItem(u"transport"_s, u"websocket"_s);
    url.setQuery(query);
    return url;
}

void SocketIoClient::setState(State state)
{
    if (m_state != state) {
        m_state = state;
        Q_EMIT stateChanged();
    }
}

void SocketIoClient::open()
{
    m_wanted = true;
    m_attempt = 0;
    m_reconnectTimer.stop();
    if (m_socket) {
        return; // already connecting or connected
    }
    startTransport();
}

void SocketIoClient::close()
{
    const bool wasConnected = m_state == State::Connected;
    m_wanted = false;
    m_reconnectTimer.stop();
    m_pingTimer.stop();
    m_connectTimer.stop();
    m_pid.clear();
    m_offset.clear();
    if (m_socket) {
        QWebSocket *socket = std::exchange(m_socket, nullptr);
        socket->disconnect(this);
        if (wasConnected) {
            socket->sendTextMessage(u"41"_s);
        }
        // Over WebSocket, closing the socket ends the Engine.IO session (no "1" packet needed).
        socket->close();
        socket->deleteLater();
    }
    m_buffer.clear();
    failPendingAcks();
    setState(State::Disconnected);
    if (wasConnected) {
        Q_EMIT disconnected(u"io client disconnect"_s);
    }
}

void SocketIoClient::startTransport()
{
    if (!m_wanted || m_socket) {
        return;
    }
    setState(m_attempt > 0 ? State::Reconnecting : State::Connecting);
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    QWebSocket *socket = m_socket;
    connect(socket, &QWebSocket::textMessageReceived, this, &SocketIoClient::textReceived);
    connect(socket, &QWebSocket::binaryMessageReceived, this, [](const QByteArray &) {
        qCWarning(lcClientSocket) << "binary packets are not supported; ignored";
    });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        if (socket == m_socket) {
            transportLost(u"transport close"_s);
        }
    });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket](QAbstractSocket::SocketError) {
                if (socket == m_socket) {
                    qCInfo(lcClientSocket) << "transport error:" << socket->errorString();
                    transportLost(u"transport error"_s);
                }
            });
    m_connectTimer.start(ConnectTimeoutMs);
    socket->open(endpoint());
}

void SocketIoClient::textReceived(const QString &frame)
{
    const auto engine = SocketIoPackets::parseEngine(frame);
    if (!engine) {
        qCWarning(lcClientSocket) << "malformed Engine.IO packet; closing";
        transportLost(u"parse error"_s);
        return;
    }
    switch (engine->first) {
    case EngineType::Open:
        engineOpen(engine->second);
        break;
    case EngineType::Ping:
        sendFrame(u"3"_s + engine->second);
        m_pingTimer.start(); // same interval as set at open
        break;
    case EngineType::Message:
        socketPacket(engine->second);
        break;
    case EngineType::Close:
        transportLost(u"transport close"_s);
        break;
    default:
        break; // pong, upgrade, noop: nothing to do over a plain WebSocket
    }
}

void SocketIoClient::engineOpen(const QString &json)
{
    const QJsonObject handshake = QJsonDocument::fromJson(json.toUtf8()).object();
    const int interval = handshake.value(u"pingInterval"_s).toInt(25'000);
    const int timeout = handshake.value(u"pingTimeout"_s).toInt(20'000);
    m_pingTimer.setInterval(interval + timeout);
    m_pingTimer.start();

    // The token is read now, not when open() was called: a reconnect must not replay a token
    // that expired meanwhile.
    QJsonObject auth = m_authProvider ? m_authProvider() : QJsonObject();
    if (!m_pid.isEmpty()) {
        auth.insert(u"pid"_s, m_pid);
        auth.insert(u"offset"_s, m_offset);
    }
    Packet connectPacket;
    connectPacket.type = Type::Connect;
    connectPacket.data = auth;
    sendFrame(SocketIoPackets::encode(connectPacket));
}

void SocketIoClient::socketPacket(const QString &payload)
{
    const auto packet = SocketIoPackets::parse(payload);
    if (!packet) {
        qCWarning(lcClientSocket) << "malformed Socket.IO packet; closing";
        transportLost(u"parse error"_s);
        return;
    }
    if (packet->nsp != u"/"_s) {
        return; // we only join the default namespace
    }
    switch (packet->type) {
    case Type::Connect: {
        m_connectTimer.stop();
        const QJsonObject data = packet->data.toObject();
        const QString pid = data.value(u"pid"_s).toString();
        m_recovered = !pid.isEmpty() && pid == m_pid;
        if (!m_recovered) {
            m_offset.clear();
        }
        m_pid = pid;
        m_socketId = data.value(u"sid"_s).toString();
        m_attempt = 0;
        setState(State::Connected);
        qCInfo(lcClientSocket) << "connected" << (m_recovered ? "(recovered)" : "");
        Q_EMIT connected();
        for (const QString &frame : std::exchange(m_buffer, {})) {
            sendFrame(frame);
        }
        break;
    }
    case Type::ConnectError: {
        m_connectTimer.stop();
        const QJsonObject data = packet->data.toObject();
        const QString message = data.value(u"message"_s).toString();
        qCInfo(lcClientSocket) << "connection refused:" << message;
        // Like socket.io-client: a refused CONNECT is final for this attempt; whoever owns the
        // client decides (e.g. refresh the token, then open() again).
        endSessionByServer();
        Q_EMIT connectError(message, data.value(u"data"_s));
        break;
    }
    case Type::Disconnect: {
        // The server ended the session ("io server disconnect"): no automatic reconnect.
        const bool wasConnected = m_state == State::Connected;
        endSessionByServer();
        if (wasConnected) {
            Q_EMIT disconnected(u"io server disconnect"_s);
        }
        break;
    }
    case Type::Event: {
        QJsonArray args = packet->data.toArray();
        if (args.isEmpty() || !args.first().isString()) {
            qCWarning(lcClientSocket) << "event without a name; ignored";
            return;
        }
        const QString name = args.takeAt(0).toString();
        // With recovery on, the server appends the event's offset to plain events.
        if (!m_pid.isEmpty() && packet->ackId < 0 && !args.isEmpty() && args.last().isString()) {
            m_offset = args.takeAt(args.size() - 1).toString();
        }
        Q_EMIT eventReceived(name, args, packet->ackId);
        break;
    }
    case Type::Ack: {
        const auto it = m_acks.find(packet->ackId);
        if (it == m_acks.end()) {
            return;
        }
        const PendingAck pending = *it;
        m_acks.erase(it);
        if (pending.context && pending.callback) {
            pending.callback(true, packet->data.toArray());
        }
        break;
    }
    case Type::BinaryEvent:
    case Type::BinaryAck:
        qCWarning(lcClientSocket) << "binary packets are not supported; ignored";
        break;
    }
}

void SocketIoClient::endSessionByServer()
{
    m_wanted = false;
    if (QWebSocket *socket = std::exchange(m_socket, nullptr)) {
        socket->disconnect(this);
        socket->close();
        socket->deleteLater();
    }
    m_pingTimer.stop();
    m_pid.clear();
    failPendingAcks();
    setState(State::Disconnected);
}

void SocketIoClient::transportLost(const QString &reason)
{
    const bool wasConnected = m_state == State::Connected;
    if (QWebSocket *socket = std::exchange(m_socket, nullptr)) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    m_pingTimer.stop();
    m_connectTimer.stop();
    failPendingAcks();
    if (wasConnected) {
        qCInfo(lcClientSocket) << "disconnected:" << reason;
    }
    setState(m_wanted && m_reconnect ? State::Reconnecting : State::Disconnected);
    if (wasConnected) {
        Q_EMIT disconnected(reason);
    }
    if (m_wanted && m_reconnect) {
        scheduleReconnect();
    }
}

void SocketIoClient::scheduleReconnect()
{
    ++m_attempt;
    // Exponential backoff with ±50 % jitter (socket.io-client's randomizationFactor 0.5), so a
    // restarted server is not hit by every client at once.
    const double base = std::min<double>(m_maxDelayMs,
                                         m_minDelayMs * std::pow(2.0, std::min(m_attempt - 1, 20)));
    const double jitter = 0.5 + QRandomGenerator::global()->generateDouble();
    const int delay = int(std::min<double>(m_maxDelayMs, base * jitter));
    Q_EMIT reconnectScheduled(m_attempt, delay);
    m_reconnectTimer.start(delay);
}

void SocketIoClient::sendFrame(const QString &frame)
{
    if (m_socket) {
        m_socket->sendTextMessage(frame);
    }
}

void SocketIoClient::sendOrBuffer(const QString &frame)
{
    if (m_state == State::Connected && m_socket) {
        sendFrame(frame);
    } else {
        m_buffer.append(frame);
    }
}

void SocketIoClient::emitEvent(const QString &event, const QJsonArray &args)
{
    QJsonArray data = args;
    data.prepend(event);
    Packet packet;
    packet.type = Type::Event;
    packet.data = data;
    sendOrBuffer(SocketIoPackets::encode(packet));
}

void SocketIoClient::emitWithAck(const QString &event, const QJsonArray &args, QObject *context,
                                 AckCallback callback)
{
    QJsonArray data = args;
    data.prepend(event);
    Packet packet;
    packet.type = Type::Event;
    packet.ackId = m_nextAckId++;
    packet.data = data;
    PendingAck pending {QPointer<QObject>(context), std::move(callback), {}};
    pending.sent.start();
    m_acks.insert(packet.ackId, pending);
    if (!m_ackTimer.isActive()) {
        m_ackTimer.start();
    }
    sendOrBuffer(SocketIoPackets::encode(packet));
}

void SocketIoClient::sendAck(qint64 ackId, const QJsonArray &args)
{
    Packet packet;
    packet.type = Type::Ack;
    packet.ackId = ackId;
    packet.data = args;
    sendFrame(SocketIoPackets::encode(packet));
}

void SocketIoClient::failPendingAcks()
{
    // Acks of frames still in the buffer stay pending: they are sent after the reconnect.
    QList<PendingAck> failed;
    for (auto it = m_acks.begin(); it != m_acks.end();) {
        const QString marker = QString::number(it.key());
        const bool buffered
                = std::any_of(m_buffer.cbegin(), m_buffer.cend(), [&](const QString &f) {
                      return f.startsWith(u"42"_s + marker + u'[');
                  });
        if (buffered) {
            ++it;
        } else {
            failed.append(*it);
            it = m_acks.erase(it);
        }
    }
    for (const PendingAck &pending : failed) {
        if (pending.context && pending.callback) {
            pending.callback(false, {});
        }
    }
}

void SocketIoClient::expireAcks()
{
    QList<PendingAck> expired;
    for (auto it = m_acks.begin(); it != m_acks.end();) {
        if (it->sent.elapsed() > m_ackTimeoutMs) {
            expired.append(*it);
            it = m_acks.erase(it);
        } else {
            ++it;
        }
    }
    if (m_acks.isEmpty()) {
        m_ackTimer.stop();
    }
    for (const PendingAck &pending : expired) {
        if (pending.context && pending.callback) {
            pending.callback(false, {});
        }
    }
}
