// SPDX-License-Identifier: MIT
#include "websocketlink.h"

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

WebSocketLink::WebSocketLink(QWebSocket *socket)
    : url(socket->requestUrl()),
      authorization(socket->request().rawHeader("Authorization")),
      origin(socket->request().rawHeader("Origin")),
      userAgent(socket->request().rawHeader("User-Agent")),
      remoteAddress(plainAddress(socket->peerAddress())),
      m_socket(socket)
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
    QMetaObject::invokeMethod(this, [this, text] { m_socket->sendTextMessage(text); });
}

void WebSocketLink::sendBinary(const QByteArray &data)
{
    m_unwritten.fetch_add(data.size());
    QMetaObject::invokeMethod(this, [this, data] { m_socket->sendBinaryMessage(data); });
}

void WebSocketLink::close(int code)
{
    QMetaObject::invokeMethod(this, [this, code] {
        m_socket->close(QWebSocketProtocol::CloseCode(code));
    });
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
