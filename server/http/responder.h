// SPDX-License-Identifier: MIT
#pragma once
// The answer side of one request. Shared by the handler's async steps; send() may be called from
// any thread (it hops to the server's thread) and writes only if the client is still connected,
// the responder pattern that survives disconnects on Qt 6.4 (ARCHITECTURE.md "Threads").

#include "http/httpresponse.h"
#include "http/router.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTcpSocket>

#include <atomic>
#include <memory>

class HttpServer;

class Responder : public std::enable_shared_from_this<Responder>
{
public:
    Responder(HttpServer *server, QTcpSocket *socket, RequestPtr request, Surface surface);
    ~Responder();
    Q_DISABLE_COPY_MOVE(Responder)

    void send(HttpResponse response);
    // An ApiError in the route's error dialect (problem+json, or the original's {message}/{error}).
    void fail(const ApiError &error);

    [[nodiscard]] const HttpRequest &request() const { return *m_request; }

private:
    friend class HttpServer;
    void writeOnServerThread(HttpResponse response);

    QPointer<HttpServer> m_server;
    QPointer<QTcpSocket> m_socket;
    RequestPtr m_request;
    Surface m_surface;
    QElapsedTimer m_timer;
    std::atomic_bool m_sent = false;
};

// The response for an error in a given surface's dialect.
[[nodiscard]] HttpResponse errorResponse(const ApiError &error, Surface surface);
