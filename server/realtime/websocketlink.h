// SPDX-License-Identifier: MIT
#pragma once
// A WebSocket stays on the HTTP thread that accepted it (a QWebSocket cannot be moved: its TCP
// socket is not its child); this link is the bridge. It lives on that thread, owns the socket,
// and talks to the real-time thread only through queued signals and posted sends, so the two
// never touch each other's objects. The link is deleted only when its owner says so (release()),
// so the owner's pointer stays valid until then.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <atomic>

class QWebSocket;
class LinkOutbox;

class WebSocketLink : public QObject
{
    Q_OBJECT
public:
    explicit WebSocketLink(QWebSocket *socket); // on the socket's thread; takes ownership

    // Immutable facts of the upgrade request, safe to read from any thread.
    const QUrl url;
    const QByteArray authorization;
    const QByteArray origin;
    const QByteArray userAgent;
    const QString remoteAddress;

    // Any thread: queue work on the link's thread.
    void start();   // deliver frames (those received before start() come first)
    // Sends and closes are batched per thread with other links' (in the order asked).
    void sendText(const QString &text);
    void sendBinary(const QByteArray &data);
    void close(int code);
    void release(); // close if open, then delete the link on its thread
    // Bytes handed to the socket and not yet written to the kernel (approximate, any thread).
    [[nodiscard]] qint64 unwrittenBytes() const { return m_unwritten.load(); }

Q_SIGNALS:
    void textReceived(const QString &text);
    void binaryReceived(const QByteArray &data);
    void disconnected();

private:
    struct Frame
    {
        bool binary;
        QString text;
        QByteArray data;
    };
    void deliver(Frame frame);

    friend class LinkOutbox; // writes the frames queued by sendText() on this thread
    QWebSocket *m_socket;
    LinkOutbox *m_outbox; // of the socket's thread
    const QPointer<WebSocketLink> m_self; // copied into queued sends: cheaper than a new one each
    bool m_started = false;
    QList<Frame> m_early;
    std::atomic<qint64> m_unwritten = 0;
};
