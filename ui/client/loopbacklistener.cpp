// SPDX-License-Identifier: MIT
#include "loopbacklistener.h"

#include "clientlogging.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype MaxRequestBytes = 16 * 1024;

// Moves the fragment into the query and asks again; the page has no other content.
constexpr char FragmentPage[]
        = "<!doctype html><meta charset=utf-8><title>Inbox Central</title>"
          "<script>if (location.hash.length > 1) "
          "location.replace('/callback?' + location.hash.substring(1));</script>"
          "<p>Signing in\xe2\x80\xa6</p>";
constexpr char DonePage[]
        = "<!doctype html><meta charset=utf-8><title>Inbox Central</title>"
          "<p>You are signed in. You can close this tab and return to Inbox Central.</p>";
constexpr char FailedPage[] = "<!doctype html><meta charset=utf-8><title>Inbox Central</title>"
                              "<p>Sign-in failed. Return to Inbox Central and try again.</p>";

} // namespace

LoopbackListener::LoopbackListener(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        stop();
        Q_EMIT failed(u"timeout"_s);
    });
    connect(m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readRequest(socket); });
        }
    });
}

bool LoopbackListener::start(int timeoutMs)
{
    stop();
    if (!m_server->listen(QHostAddress::LocalHost, 0)) {
        qCWarning(lcClient) << "loopback listener:" << m_server->errorString();
        return false;
    }
    m_timeout.start(timeoutMs);
    return true;
}

void LoopbackListener::stop()
{
    m_timeout.stop();
    m_server->close();
}

bool LoopbackListener::isListening() const
{
    return m_server->isListening();
}

QUrl LoopbackListener::redirectUrl() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(m_server->serverPort());
    url.setPath(u"/callback"_s);
    return url;
}

void LoopbackListener::readRequest(QTcpSocket *socket)
{
    QByteArray data = socket->property("request").toByteArray() + socket->readAll();
    if (data.size() > MaxRequestBytes) {
        socket->abort();
        return;
    }
    socket->setProperty("request", data);
    if (!data.contains("\r\n\r\n")) {
        return; // the request line and headers are not complete yet
    }
    const QList<QByteArray> requestLine = data.left(data.indexOf("\r\n")).split(' ');
    if (requestLine.size() < 2 || requestLine.at(0) != "GET") {
        answer(socket, "405 Method Not Allowed", FailedPage);
        return;
    }
    const QUrl target(QString::fromLatin1(requestLine.at(1)));
    const QUrlQuery query(target);
    const QString access = query.hasQueryItem(u"accessToken"_s)
            ? query.queryItemValue(u"accessToken"_s, QUrl::FullyDecoded)
            : query.queryItemValue(u"token"_s, QUrl::FullyDecoded);
    const QString refresh = query.queryItemValue(u"refreshToken"_s, QUrl::FullyDecoded);
    if (!access.isEmpty()) {
        answer(socket, "200 OK", DonePage);
        stop();
        Q_EMIT tokensReceived(access, refresh);
    } else if (query.hasQueryItem(u"error"_s)) {
        answer(socket, "200 OK", FailedPage);
        stop();
        Q_EMIT failed(query.queryItemValue(u"error"_s, QUrl::FullyDecoded));
    } else {
        answer(socket, "200 OK", FragmentPage);
    }
}

void LoopbackListener::answer(QTcpSocket *socket, const QByteArray &status, const QByteArray &html)
{
    socket->write("HTTP/1.1 " + status
                  + "\r\nContent-Type: text/html; charset=utf-8\r\n"
                    "Cache-Control: no-store\r\nConnection: close\r\nContent-Length: "
                  + QByteArray::number(html.size()) + "\r\n\r\n" + html);
    socket->disconnectFromHost();
}
