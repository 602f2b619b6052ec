// SPDX-License-Identifier: MIT
#pragma once

// The desktop client's Socket.IO v5 client: Engine.IO v4 straight over the WebSocket transport
// (`?EIO=4&transport=websocket`, no long-polling), the default namespace only, text packets only
// (our server sends no binary events). It answers pings, connects with an `auth` object asked from
// the auth provider at every CONNECT (so a reconnect carries the current access token), emits with
// and without ack, buffers emits made while offline, reconnects with exponential backoff and
// jitter after a lost transport, and uses connection state recovery when the server offers it
// (`pid` + the offset of the last event, as socket.io-client ≥ 4.6 does).

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>

class QWebSocket;

class SocketIoClient : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(bool connected READ isConnected NOTIFY stateChanged)

public:
    enum class State { Disconnected, Connecting, Connected, Reconnecting };
    Q_ENUM(State)

    using AuthProvider = std::function<QJsonObject()>;
    // `acked` is false when no ack came within the timeout or the connection ended first.
    using AckCallback = std::function<void(bool acked, const QJsonArray &args)>;

    explicit SocketIoClient(QObject *parent = nullptr);
    ~SocketIoClient() override;

    // The server's base URL (http, https, ws or wss; a path prefix is kept); `path` is where the
    // server serves Socket.IO under it.
    void setUrl(const QUrl &serverUrl, const QString &path = QStringLiteral("/socket.io/"));
    [[nodiscard]] QUrl endpoint() const;
    void setAuthProvider(AuthProvider provider) { m_authProvider = std::move(provider); }
    void setReconnection(bool enabled) { m_reconnect = enabled; }
    void setReconnectDelays(int minimumMs, int maximumMs);
    void setAckTimeout(int ms) { m_ackTimeoutMs = ms; }

    void open();
    // A clean disconnect: DISCONNECT, then the WebSocket closes; no reconnect.
    void close();

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] bool isConnected() const { return m_state == State::Connected; }
    // The Socket.IO id of the connection (not the Engine.IO one).
    [[nodiscard]] QString socketId() const { return m_socketId; }
    // True when the last CONNECT resumed the previous session (events missed were replayed).
    [[nodiscard]] bool recovered() const { return m_recovered; }

    void emitEvent(const QString &event, const QJsonArray &args = {});
    void emitWithAck(const QString &event, const QJsonArray &args, QObject *context,
                     AckCallback callback);
    // Answers an event the server sent with an ack id.
    void sendAck(qint64 ackId, const QJsonArray &args);

Q_SIGNALS:
    void stateChanged();
    void connected();
    // socket.io-client's reasons: "io server disconnect", "io client disconnect",
    // "transport close", "transport error", "ping timeout", "parse error".
    void disconnected(const QString &reason);
    // The server refused the CONNECT (`44{message, data}`); no reconnect follows.
    void connectError(const QString &message, const QJsonValue &data);
    // `ackId` is -1 unless the server waits for sendAck().
    void eventReceived(const QString &event, const QJsonArray &args, qint64 ackId);
    void reconnectScheduled(int attempt, int delayMs);

private:
    struct PendingAck
    {
        QPointer<QObject> context;
        AckCallback callback;
        QElapsedTimer sent;
    };

    void setState(State state);
    void startTransport();
    void textReceived(const QString &frame);
    void engineOpen(const QString &json);
    void socketPacket(const QString &payload);
    void transportLost(const QString &reason);
    // The server ended the session (a refused CONNECT or a DISCONNECT packet): final, like
    // socket.io-client; no automatic reconnect.
    void endSessionByServer();
    void scheduleReconnect();
    void sendFrame(const QString &frame);
    void sendOrBuffer(const QString &frame);
    void failPendingAcks();
    void expireAcks();

    QWebSocket *m_socket = nullptr;
    QUrl m_serverUrl;
    QString m_path = QStringLiteral("/socket.io/");
    AuthProvider m_authProvider;
    State m_state = State::Disconnected;
    QString m_socketId;
    bool m_wanted = false; // open() was called and close() not since
    bool m_reconnect = true;
    int m_minDelayMs = 500;
    int m_maxDelayMs = 10'000;
    int m_attempt = 0;
    int m_ackTimeoutMs = 15'000;
    qint64 m_nextAckId = 0;
    QHash<qint64, PendingAck> m_acks;
    QList<QString> m_buffer; // frames emitted while not connected
    QTimer m_pingTimer; // no ping within pingInterval + pingTimeout: the link is dead
    QTimer m_reconnectTimer;
    QTimer m_ackTimer;
    QTimer m_connectTimer; // no CONNECT answer in time
    // Connection state recovery.
    QString m_pid;
    QString m_offset;
    bool m_recovered = false;
};
