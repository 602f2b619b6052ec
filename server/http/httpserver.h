// SPDX-License-Identifier: MIT
#pragma once
// The one adapter over Qt 6.4's QtHttpServer (STYLE.md habit 10): every call into its API lives
// in httpserver.cpp. We subclass QAbstractHttpServer and write responses ourselves, so handlers
// can answer later from any thread, and so 404/405/413/415, CORS and the common headers are ours.

#include "http/httpresponse.h"
#include "http/router.h"

#include <QAbstractHttpServer>
#include <QPointer>
#include <QSet>
#include <QStringList>

class QTcpSocket;

struct HttpSettings
{
    qint64 maxBodyBytes = 1024 * 1024;
    QStringList corsOrigins;  // exact origins, or "*"
    bool accessLog = true;
    bool metricsLoopbackOnly = false;
};

class HttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    HttpServer(HttpSettings settings, Router *router, QObject *parent = nullptr);

    // Listens on host:port; returns the port, or 0 with `error` set.
    [[nodiscard]] quint16 listenOn(const QString &host, quint16 port, QString *error);
    // Stops accepting new connections; requests in flight still get their answers.
    void stopListening();
    [[nodiscard]] int requestsInFlight() const { return m_inFlight; }
    [[nodiscard]] int openConnections() const { return int(m_sockets.size()); }

    // Called by Responder on this thread.
    void writeResponse(const QPointer<QTcpSocket> &socket, const HttpRequest &request,
                       HttpResponse response, qint64 elapsedNs);

    // WebSocket upgrades on these path prefixes are accepted (the real-time issue's /socket.io/).
    void acceptWebSocketsOn(const QString &pathPrefix) { m_webSocketPrefixes.append(pathPrefix); }

Q_SIGNALS:
    void idle(); // no request in flight any more (used by graceful shutdown)

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    [[nodiscard]] bool originAllowed(const QByteArray &origin) const;
    void addCommonHeaders(HttpResponse &response, const HttpRequest &request) const;
    void trackSocket(QTcpSocket *socket);

    HttpSettings m_settings;
    Router *m_router;
    QSet<QTcpSocket *> m_sockets;
    QStringList m_webSocketPrefixes;
    int m_inFlight = 0;
};
