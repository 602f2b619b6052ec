// SPDX-License-Identifier: MIT
#include "websocketlink.h"

#include <QMutex>
#include <QPointer>
#include <QThread>
#include <QWebSocket>

namespace {
// "::ffff:127.0.0.1" → "127.0.0.1", as HttpRequest::clientIp() writes it, so a client has one
// address whichever transport it uses.
QString plainAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : address.toString();
}
}

// The text frames bound for the WebSockets of one HTTP thread. A room's event reaches hundreds
// of sockets: posting one call per socket to their threads cost an allocation, a lock and often
// a wake-up each. Here a burst costs one posted call per thread, and a socket gets all its
// frames of the burst in one go (one write to the kernel).
class LinkOutbox : public QObject
{
public:
    // The outbox of the calling thread (made on first use, deleted when the thread ends).
    static LinkOutbox *ofCurrentThread()
    {
        thread_local LinkOutbox *outbox = nullptr;
        if (!outbox) {
            outbox = new LinkOutbox;
            QObject::connect(QThread::currentThread(), &QThread::finished, outbox,
                             [] { delete std::exchange(outbox, nullptr); }, Qt::DirectConnection);
        }
        return outbox;
    }

    // What a link does on its thread, in the order asked. Text, binary frames and closes all
    // go through here: a binary attachment must follow its event's text frame.
    struct Item
    {
        enum Kind { Text, Binary, Close };
        QPointer<WebSocketLink> link; // gone if released meanwhile
        Kind kind = Text;
        QString text;
        QByteArray data;
        int closeCode = 0;
    };

    // Any thread.
    void push(Item item)
    {
        bool first = false;
        {
            QMutexLocker lock(&m_mutex);
            first = m_pending.isEmpty();
            m_pending.append(std::move(item));
        }
        if (first) {
            QMetaObject::invokeMethod(this, &LinkOutbox::drain, Qt::QueuedConnection);
        }
    }

private:

    void drain()
    {
        QList<Item> items;
        {
            QMutexLocker lock(&m_mutex);
            items.swap(m_pending);
        }
        for (const Item &item : std::as_const(items)) {
            if (!item.link) {
                continue;
            }
            QWebSocket *socket = item.link->m_socket;
            switch (item.kind) {
            case Item::Text:
                socket->sendTextMessage(item.text);
                break;
            case Item::Binary:
                socket->sendBinaryMessage(item.data);
                break;
            case Item::Close:
                socket->close(QWebSocketProtocol::CloseCode(item.closeCode));
                break;
            }
        }
    }

    QMutex m_mutex;
    QList<Item> m_pending;
};

WebSocketLink::WebSocketLink(QWebSocket *socket)
    : url(socket->requestUrl()),
      authorization(socket->request().rawHeader("Authorization")),
      origin(socket->request().rawHeader("Origin")),
      userAgent(socket->request().rawHeader("User-Agent")),
      remoteAddress(plainAddress(socket->peerAddress())),
      m_socket(socket),
      m_outbox(LinkOutbox::ofCurrentThread()),
      m_self(this)
{
    socket->setParent(this);
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        deliver({false, text, {}});
    });
    connect(socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
        deliver({true, {}, data});
    });
    connect(socket, &QWebSocket::bytesWritten, this, [this](qint64 written) {
        m_unwritten.fetch_sub(std::min(written, m_unwritten.load()));
    });
    connect(socket, &QWebSocket::disconnected, this, &WebSocketLink::disconnected);
}

void WebSocketLink::deliver(Frame frame)
{
    if (!m_started) {
        m_early.append(std::move(frame));
        return;
    }
    if (frame.binary) {
        Q_EMIT binaryReceived(frame.data);
    } else {
        Q_EMIT textReceived(frame.text);
    }
}

void WebSocketLink::start()
{
    QMetaObject::invokeMethod(this, [this] {
        m_started = true;
        const QList<Frame> early = std::exchange(m_early, {});
        for (const Frame &frame : early) {
            deliver(frame);
        }
        if (m_socket->state() != QAbstractSocket::ConnectedState) {
            Q_EMIT disconnected();
        }
    });
}

void WebSocketLink::sendText(const QString &text)
{
    m_unwritten.fetch_add(text.size());
    m_outbox->push({m_self, LinkOutbox::Item::Text, text, {}, 0});
}

void WebSocketLink::sendBinary(const QByteArray &data)
{
    m_unwritten.fetch_add(data.size());
    m_outbox->push({m_self, LinkOutbox::Item::Binary, {}, data, 0});
}

void WebSocketLink::close(int code)
{
    m_outbox->push({m_self, LinkOutbox::Item::Close, {}, {}, code});
}

void WebSocketLink::release()
{
    QMetaObject::invokeMethod(this, [this] {
        disconnect(m_socket, nullptr, this, nullptr);
        if (m_socket->state() == QAbstractSocket::ConnectedState) {
            m_socket->close();
        }
        deleteLater();
    });
}
