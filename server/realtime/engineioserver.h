// SPDX-License-Identifier: MIT
#pragma once
// The Engine.IO v4 server: sessions over HTTP long-polling and WebSocket, the upgrade from one to
// the other, and the server-driven heartbeat (../shared/SOCKETIO.md). It lives on one thread (the
// real-time thread): polling requests hop to it from the HTTP threads, WebSockets are moved to
// it. What the messages mean is the Socket.IO layer's business (socketioserver.h).

#include "http/httprequest.h"
#include "realtime/engineiopacket.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <memory>

class QWebSocket;
class WebSocketLink;
class Responder;
using ResponderPtr = std::shared_ptr<Responder>;

struct EngineIoSettings
{
    QString path = QStringLiteral("/socket.io/");
    int pingIntervalMs = 25000;
    int pingTimeoutMs = 20000;
    int maxPayload = 1000000;
    int upgradeTimeoutMs = 10000;
    int maxSessions = 10000;
    qint64 maxBufferedBytes = 4 * 1024 * 1024; // per session, not yet written to the client
};

// What the client presented when it opened the session.
struct Handshake
{
    QUrlQuery query;
    QByteArray authorization;
    QByteArray origin;
    QByteArray userAgent;
    QString remoteAddress;
};

class EngineIoServer : public QObject
{
    Q_OBJECT
public:
    explicit EngineIoServer(EngineIoSettings settings, QObject *parent = nullptr);
    ~EngineIoServer() override;

    [[nodiscard]] const EngineIoSettings &settings() const { return m_settings; }

    // Called on this object's thread (see postPolling / postWebSocket for other threads).
    void handlePolling(const RequestPtr &request, const ResponderPtr &responder);
    void handleWebSocket(WebSocketLink *link); // takes ownership

    // Thread-safe entry points: hop to this object's thread.
    void postPolling(const RequestPtr &request, const ResponderPtr &responder);
    void postWebSocket(QWebSocket *socket); // on the socket's thread: wraps it in a link

    // Sends on the session's current transport (buffered while polling).
    void send(const QString &sid, const EngineIo::Packet &packet);
    void send(const QString &sid, const QList<EngineIo::Packet> &packets);
    // The same packet to many sessions (a room): encoded once, the frame text shared by all.
    void sendToMany(const QList<QString> &sids, const EngineIo::Packet &packet);
    void close(const QString &sid, const QString &reason);
    [[nodiscard]] int sessionCount() const { return int(m_sessions.size()); }
    [[nodiscard]] const Handshake *handshake(const QString &sid) const;

    // Ends every session (server shutdown): held polls are answered, sockets closed.
    void closeAll();

Q_SIGNALS:
    void opened(const QString &sid);
    void message(const QString &sid, const EngineIo::Packet &packet);
    void closed(const QString &sid, const QString &reason);

private:
    struct Session;
    Session *newSession(const Handshake &handshake, bool webSocket);
    void answerHeldPoll(Session &session, const QByteArray &body);
    void flushPolling(Session &session);
    void receive(Session &session, const EngineIo::Packet &packet);
    void schedulePing(Session &session);
    void closeSession(const QString &sid, const QString &reason);
    void attachWebSocket(Session &session, WebSocketLink *link);
    void connectLink(WebSocketLink *link, const QString &sid);
    void deliver(Session &session, const EngineIo::Packet &packet, const QString &frameText);
    // `frameText`: the packet's text frame when the caller encoded it already (null: encode here).
    void writeFrame(Session &session, const EngineIo::Packet &packet,
                    const QString &frameText = QString());
    void dropProbe(Session &session);
    [[nodiscard]] QByteArray openPacket(const QString &sid, bool webSocket) const;

    EngineIoSettings m_settings;
    QHash<QString, std::shared_ptr<Session>> m_sessions;
};

[[nodiscard]] QByteArray engineIoError(int code);
