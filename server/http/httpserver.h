// SPDX-License-Identifier: MIT
#pragma once
// The one adapter over Qt 6.4's QtHttpServer (STYLE.md habit 10): every call into its API lives
// in httpserver.cpp. We subclass QAbstractHttpServer and write responses ourselves, so handlers
// can answer later from any thread, and so 404/405/413/415, CORS and the common headers are ours.

#include "http/httpresponse.h"
#include "http/router.h"

#include <QAbstractHttpServer>

#include <atomic>
#include <functional>
#include <QPointer>
#include <QSet>
#include <QStringList>

class QTcpSocket;
class QWebSocket;

// A path that takes WebSocket upgrades, and who takes the sockets (called on an HTTP thread; it
// must hand the socket on, e.g. to the real-time thread).
struct WebSocketEndpoint
{
    QString pathPrefix; // "/socket.io/"
    std::function<void(QWebSocket *socket)> accept;
};

struct HttpSettings
{
    qint64 maxBodyBytes = 1024 * 1024;
    QStringList corsOrigins;  // exact origins, or "*"
    bool accessLog = true;
    bool metricsLoopbackOnly = false;
    QList<WebSocketEndpoint> webSockets;
};

class HttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    // `inFlight` counts requests in flight across every HttpServer of the process; `draining`
    // is set once the process stops, and only then is idle() emitted (a signal per request
    // would wake another thread for every answer).
    HttpServer(HttpSettings settings, Router *router, std::atomic_int *inFlight,
               const std::atomic_bool *draining, QObject *parent = nullptr);

    // Serves connections accepted on an already listening socket (see listeningsockets.h).
    [[nodiscard]] bool adoptListeningSocket(qintptr descriptor);
    // Stops accepting new connections; requests in flight still get their answers.
    void stopListening();
    // Closes the open connections once their answers are written (waits up to `graceMs` on
    // this thread), so a shutdown never cuts off a response already sent to the socket.
    void closeConnections(int graceMs);

    // Called by Responder on this thread.
    void writeResponse(const QPointer<QTcpSocket> &socket, const HttpRequest &request,
                       HttpResponse response, qint64 elapsedNs);


Q_SIGNALS:
    void idle(); // no request in flight in the whole process (used by graceful shutdown)

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

    std::atomic_int *m_inFlight;
    const std::atomic_bool *m_draining;
};
