// SPDX-License-Identifier: MIT
#include "engineioserver.h"

#include "core/crypto.h"
#include "core/logging.h"
#include "http/responder.h"
#include "realtime/websocketlink.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QTimer>
#include <QWebSocketProtocol>

using namespace Qt::StringLiterals;
using EngineIo::Packet;
using EngineIo::PacketType;

namespace {

enum ErrorCode { TransportUnknown = 0, UnknownSid = 1, BadHandshakeMethod = 2, BadRequest = 3,
                 Forbidden = 4, UnsupportedProtocolVersion = 5 };

const char *errorMessage(int code)
{
    switch (code) {
    case TransportUnknown: return "Transport unknown";
    case UnknownSid: return "Session ID unknown";
    case BadHandshakeMethod: return "Bad handshake method";
    case Forbidden: return "Forbidden";
    case UnsupportedProtocolVersion: return "Unsupported protocol version";
    default: return "Bad request";
    }
}

HttpResponse errorAnswer(int code, int status = 400)
{
    return HttpResponse::rawJson(engineIoError(code), status);
}

HttpResponse textAnswer(const QByteArray &body)
{
    HttpResponse response = HttpResponse::text(body, 200, "text/plain; charset=UTF-8"_ba);
    return response;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

QByteArray engineIoError(int code)
{
    return QJsonDocument(QJsonObject{{u"code"_s, code},
                                     {u"message"_s, QString::fromLatin1(errorMessage(code))}})
        .toJson(QJsonDocument::Compact);
}

struct EngineIoServer::Session
{
    QString sid;
    Handshake handshake;
    bool webSocket = false;         // the current transport
    bool upgrading = false;         // a probe WebSocket answered "3probe"
    QList<Packet> buffer;           // polling: waiting for the next GET
    qint64 bufferedBytes = 0;
    ResponderPtr heldPoll;          // polling: the GET we hold open
    WebSocketLink *socket = nullptr; // the WebSocket transport (released when the session ends)
    WebSocketLink *probe = nullptr;  // a WebSocket being upgraded to
    QTimer *pingTimer = nullptr;
    QTimer *pongTimer = nullptr;
    QTimer *upgradeTimer = nullptr;
    qint64 pongDeadline = 0;        // 0: no ping outstanding

    ~Session()
    {
        delete pingTimer;
        delete pongTimer;
        delete upgradeTimer;
    }
};

EngineIoServer::EngineIoServer(EngineIoSettings settings, QObject *parent)
    : QObject(parent), m_settings(std::move(settings))
{
}

EngineIoServer::~EngineIoServer()
{
    closeAll();
}

const Handshake *EngineIoServer::handshake(const QString &sid) const
{
    const auto it = m_sessions.constFind(sid);
    return it == m_sessions.cend() ? nullptr : &it.value()->handshake;
}

void EngineIoServer::postPolling(const RequestPtr &request, const ResponderPtr &responder)
{
    QMetaObject::invokeMethod(this, [this, request, responder] { handlePolling(request, responder); });
}

void EngineIoServer::postWebSocket(QWebSocket *socket)
{
    auto *link = new WebSocketLink(socket);
    QMetaObject::invokeMethod(this, [this, link] { handleWebSocket(link); });
}

QByteArray EngineIoServer::openPacket(const QString &sid, bool webSocket) const
{
    const QJsonObject open{{u"sid"_s, sid},
                           {u"upgrades"_s, webSocket ? QJsonArray() : QJsonArray{u"websocket"_s}},
                           {u"pingInterval"_s, m_settings.pingIntervalMs},
                           {u"pingTimeout"_s, m_settings.pingTimeoutMs},
                           {u"maxPayload"_s, m_settings.maxPayload}};
    return "0"_ba + QJsonDocument(open).toJson(QJsonDocument::Compact);
}

EngineIoServer::Session *EngineIoServer::newSession(const Handshake &handshake, bool webSocket)
{
    auto session = std::make_shared<Session>();
    session->sid = QString::fromLatin1(Crypto::base64UrlEncode(Crypto::randomBytes(15)));
    session->handshake = handshake;
    session->webSocket = webSocket;
    session->pingTimer = new QTimer;
    session->pingTimer->setSingleShot(true);
    session->pongTimer = new QTimer;
    session->pongTimer->setSingleShot(true);
    const QString sid = session->sid;
    connect(session->pingTimer, &QTimer::timeout, this, [this, sid] {
        const auto it = m_sessions.find(sid);
        if (it == m_sessions.end()) {
            return;
        }
        Session &s = **it;
        s.pongDeadline = nowMs() + m_settings.pingTimeoutMs;
        s.pongTimer->start(m_settings.pingTimeoutMs);
        send(sid, Packet::of(PacketType::Ping));
    });
    connect(session->pongTimer, &QTimer::timeout, this, [this, sid] {
        closeSession(sid, u"ping timeout"_s);
    });
    m_sessions.insert(sid, session);
    return session.get();
}

void EngineIoServer::schedulePing(Session &session)
{
    session.pongDeadline = 0;
    session.pongTimer->stop();
    session.pingTimer->start(m_settings.pingIntervalMs);
}

void EngineIoServer::handlePolling(const RequestPtr &request, const ResponderPtr &responder)
{
    const QString eio = request->queryValue(u"EIO"_s);
    const QString transport = request->queryValue(u"transport"_s);
    const QString sid = request->queryValue(u"sid"_s);
    if (eio != u"4"_s) {
        return responder->send(errorAnswer(UnsupportedProtocolVersion));
    }
    if (transport != u"polling"_s) {
        return responder->send(errorAnswer(transport == u"websocket"_s ? BadRequest : TransportUnknown));
    }
    const bool isGet = request->method == "GET";
    if (sid.isEmpty()) {
        if (!isGet) {
            return responder->send(errorAnswer(BadHandshakeMethod));
        }
        if (m_sessions.size() >= m_settings.maxSessions) {
            return responder->send(HttpResponse::rawJson(engineIoError(BadRequest), 503));
        }
        Handshake handshake{request->query, request->header("authorization"),
                            request->header("origin"), request->header("user-agent"),
                            request->clientIp()};
        Session *session = newSession(handshake, false);
        const QString newSid = session->sid;
        responder->send(textAnswer(openPacket(newSid, false)));
        schedulePing(*session);
        Q_EMIT opened(newSid);
        return;
    }

    const auto it = m_sessions.find(sid);
    if (it == m_sessions.end()) {
        return responder->send(errorAnswer(UnknownSid));
    }
    const std::shared_ptr<Session> session = *it;
    // Deadlines are checked on every request, not only by timer.
    if (session->pongDeadline > 0 && nowMs() > session->pongDeadline) {
        closeSession(sid, u"ping timeout"_s);
        return responder->send(errorAnswer(UnknownSid));
    }
    if (session->webSocket) {
        return responder->send(errorAnswer(BadRequest)); // upgraded: polling is over
    }

    if (isGet) {
        if (session->heldPoll) {
            // Two GETs at once: the protocol forbids it; end the session.
            answerHeldPoll(*session, EngineIo::encodePayload({Packet::of(PacketType::Close)}));
            closeSession(sid, u"multiple GET requests"_s);
            return responder->send(errorAnswer(BadRequest));
        }
        if (session->upgrading) {
            return responder->send(textAnswer(EngineIo::encodePayload({Packet::of(PacketType::Noop)})));
        }
        session->heldPoll = responder;
        if (!session->buffer.isEmpty()) {
            flushPolling(*session);
        }
        return;
    }

    if (request->method != "POST") {
        return responder->send(errorAnswer(BadRequest));
    }
    if (request->body.size() > m_settings.maxPayload) {
        closeSession(sid, u"payload too large"_s);
        return responder->send(errorAnswer(BadRequest, 413));
    }
    Result<QList<Packet>> packets = EngineIo::decodePayload(request->body);
    if (!packets) {
        closeSession(sid, u"parse error"_s);
        return responder->send(errorAnswer(BadRequest));
    }
    responder->send(HttpResponse::text("ok"_ba, 200, "text/html"_ba));
    for (const Packet &packet : std::as_const(packets.value())) {
        if (!m_sessions.contains(sid)) {
            break; // a packet closed the session
        }
        receive(*session, packet);
    }
}

void EngineIoServer::handleWebSocket(WebSocketLink *link)
{
    const QUrlQuery query(link->url);
    const QString eio = query.queryItemValue(u"EIO"_s);
    const QString transport = query.queryItemValue(u"transport"_s);
    const QString sid = query.queryItemValue(u"sid"_s);
    if (eio != u"4"_s || transport != u"websocket"_s) {
        link->close(QWebSocketProtocol::CloseCodeProtocolError);
        link->release();
        return;
    }
    if (sid.isEmpty()) {
        if (m_sessions.size() >= m_settings.maxSessions) {
            link->close(QWebSocketProtocol::CloseCodeGoingAway);
            link->release();
            return;
        }
        Handshake handshake{query, link->authorization, link->origin, link->userAgent,
                            link->remoteAddress};
        Session *session = newSession(handshake, true);
        attachWebSocket(*session, link);
        writeFrame(*session, Packet{PacketType::Open, openPacket(session->sid, true).mid(1), false});
        schedulePing(*session);
        Q_EMIT opened(session->sid);
        return;
    }

    // An upgrade of a polling session: answer the probe, then switch on "5".
    const auto it = m_sessions.find(sid);
    if (it == m_sessions.end() || (*it)->webSocket || (*it)->probe) {
        link->close(QWebSocketProtocol::CloseCodePolicyViolated);
        link->release();
        return;
    }
    const std::shared_ptr<Session> session = *it;
    session->probe = link;
    if (!session->upgradeTimer) {
        session->upgradeTimer = new QTimer;
        session->upgradeTimer->setSingleShot(true);
        connect(session->upgradeTimer, &QTimer::timeout, this, [this, sid] {
            const auto found = m_sessions.find(sid);
            if (found != m_sessions.end() && (*found)->probe) {
                dropProbe(**found);
            }
        });
    }
    session->upgradeTimer->start(m_settings.upgradeTimeoutMs);

    connectLink(link, sid);
    link->start();
}

void EngineIoServer::dropProbe(Session &session)
{
    session.upgrading = false;
    if (WebSocketLink *probe = std::exchange(session.probe, nullptr)) {
        disconnect(probe, nullptr, this, nullptr);
        probe->release();
    }
}

void EngineIoServer::attachWebSocket(Session &session, WebSocketLink *link)
{
    session.socket = link;
    connectLink(link, session.sid);
    link->start();
}

// One set of handlers per link for its whole life, whatever its role: a link that starts as an
// upgrade probe becomes the session's transport on "5", and frames the client sent right behind
// the "5" are already queued to these handlers (reconnecting would drop them).
void EngineIoServer::connectLink(WebSocketLink *link, const QString &sid)
{
    connect(link, &WebSocketLink::textReceived, this, [this, sid, link](const QString &text) {
        const auto found = m_sessions.find(sid);
        if (found == m_sessions.end()) {
            return;
        }
        Session &s = **found;
        if (s.socket == link) {
            Result<Packet> packet = EngineIo::decodeTextFrame(text.toUtf8());
            if (!packet) {
                closeSession(sid, u"parse error"_s);
                return;
            }
            receive(s, packet.value());
            return;
        }
        if (s.probe != link) {
            return;
        }
        const QByteArray frame = text.toUtf8();
        if (!s.upgrading && frame == "2probe") {
            s.upgrading = true;
            link->sendText(u"3probe"_s);
            // The client stops polling: release its held GET with a no-op.
            answerHeldPoll(s, EngineIo::encodePayload({Packet::of(PacketType::Noop)}));
            return;
        }
        if (s.upgrading && frame == "5") {
            s.upgradeTimer->stop();
            s.probe = nullptr;
            s.upgrading = false;
            answerHeldPoll(s, EngineIo::encodePayload({Packet::of(PacketType::Noop)}));
            s.webSocket = true;
            s.socket = link;
            const QList<Packet> pending = std::exchange(s.buffer, {});
            s.bufferedBytes = 0;
            for (const Packet &packet : pending) {
                writeFrame(s, packet);
            }
            return;
        }
        dropProbe(s); // anything else during an upgrade ends the probe
    });
    connect(link, &WebSocketLink::binaryReceived, this, [this, sid, link](const QByteArray &data) {
        const auto found = m_sessions.find(sid);
        if (found == m_sessions.end()) {
            return;
        }
        if ((*found)->socket == link) {
            receive(**found, Packet::binaryMessage(data));
        } else if ((*found)->probe == link) {
            dropProbe(**found);
        }
    });
    connect(link, &WebSocketLink::disconnected, this, [this, sid, link] {
        const auto found = m_sessions.find(sid);
        if (found == m_sessions.end()) {
            return;
        }
        if ((*found)->socket == link) {
            closeSession(sid, u"transport close"_s);
        } else if ((*found)->probe == link) {
            dropProbe(**found);
        }
    });
}

void EngineIoServer::receive(Session &session, const Packet &packet)
{
    switch (packet.type) {
    case PacketType::Pong:
        schedulePing(session);
        return;
    case PacketType::Message:
        Q_EMIT message(session.sid, packet);
        return;
    case PacketType::Close:
        answerHeldPoll(session, EngineIo::encodePayload({Packet::of(PacketType::Noop)}));
        closeSession(session.sid, u"transport close"_s);
        return;
    default:
        // A ping from the client, or an open/upgrade/noop out of place: a protocol error.
        closeSession(session.sid, u"parse error"_s);
        return;
    }
}

void EngineIoServer::send(const QString &sid, const Packet &packet)
{
    const auto it = m_sessions.find(sid);
    if (it != m_sessions.end()) {
        deliver(**it, packet, QString());
    }
}

void EngineIoServer::sendToMany(const QList<QString> &sids, const Packet &packet)
{
    const QString frameText =
            packet.binary ? QString() : QString::fromUtf8(EngineIo::encodeTextFrame(packet));
    for (const QString &sid : sids) {
        const auto it = m_sessions.find(sid);
        if (it != m_sessions.end()) {
            deliver(**it, packet, frameText);
        }
    }
}

void EngineIoServer::deliver(Session &session, const Packet &packet, const QString &frameText)
{
    if (session.webSocket) {
        writeFrame(session, packet, frameText);
        return;
    }
    const QString sid = session.sid;
    session.bufferedBytes += packet.data.size() + 1;
    if (session.bufferedBytes > m_settings.maxBufferedBytes) {
        qCInfo(lcRealtime) << "dropping a slow polling client";
        closeSession(sid, u"buffer full"_s);
        return;
    }
    session.buffer.append(packet);
    if (session.heldPoll) {
        flushPolling(session);
    }
}

void EngineIoServer::send(const QString &sid, const QList<Packet> &packets)
{
    for (const Packet &packet : packets) {
        send(sid, packet);
    }
}

void EngineIoServer::writeFrame(Session &session, const Packet &packet, const QString &frameText)
{
    if (!session.socket) {
        return;
    }
    if (session.socket->unwrittenBytes() > m_settings.maxBufferedBytes) {
        // A client that does not read: drop it rather than grow memory or stall others.
        qCInfo(lcRealtime) << "dropping a slow WebSocket client";
        closeSession(session.sid, u"buffer full"_s);
        return;
    }
    if (packet.binary) {
        session.socket->sendBinary(packet.data);
    } else {
        session.socket->sendText(frameText.isNull()
                                         ? QString::fromUtf8(EngineIo::encodeTextFrame(packet))
                                         : frameText);
    }
}

void EngineIoServer::flushPolling(Session &session)
{
    if (!session.heldPoll || session.buffer.isEmpty()) {
        return;
    }
    const QByteArray body = EngineIo::encodePayload(session.buffer);
    session.buffer.clear();
    session.bufferedBytes = 0;
    answerHeldPoll(session, body);
}

void EngineIoServer::answerHeldPoll(Session &session, const QByteArray &body)
{
    if (ResponderPtr held = std::exchange(session.heldPoll, nullptr)) {
        held->send(textAnswer(body));
    }
}

void EngineIoServer::close(const QString &sid, const QString &reason)
{
    const auto it = m_sessions.find(sid);
    if (it == m_sessions.end()) {
        return;
    }
    send(sid, Packet::of(PacketType::Close));
    closeSession(sid, reason);
}

void EngineIoServer::closeSession(const QString &sid, const QString &reason)
{
    const auto it = m_sessions.find(sid);
    if (it == m_sessions.end()) {
        return;
    }
    const std::shared_ptr<Session> session = *it;
    m_sessions.erase(it);
    // A held poll learns of the end with a close packet.
    answerHeldPoll(*session, EngineIo::encodePayload({Packet::of(PacketType::Close)}));
    if (WebSocketLink *link = std::exchange(session->socket, nullptr)) {
        disconnect(link, nullptr, this, nullptr);
        link->release();
    }
    dropProbe(*session);
    Q_EMIT closed(sid, reason);
}

void EngineIoServer::closeAll()
{
    const QStringList sids = m_sessions.keys();
    for (const QString &sid : sids) {
        close(sid, u"server shutting down"_s);
    }
}
