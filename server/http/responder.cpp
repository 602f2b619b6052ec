// SPDX-License-Identifier: MIT
#include "responder.h"

#include "core/logging.h"
#include "http/httpserver.h"

#include <QJsonObject>
#include <QThread>

using namespace Qt::StringLiterals;

Responder::Responder(HttpServer *server, QTcpSocket *socket, RequestPtr request, Surface surface)
    : m_server(server), m_socket(socket), m_request(std::move(request)), m_surface(surface)
{
    m_timer.start();
}

Responder::~Responder()
{
    if (!m_sent.load() && m_server) {
        // A handler lost its responder without answering: a bug, but the client still gets an
        // answer instead of a hung connection.
        qCWarning(lcHttp) << "request" << m_request->requestId << "dropped without a response";
        HttpServer *server = m_server;
        QPointer<QTcpSocket> socket = m_socket;
        RequestPtr request = m_request;
        const qint64 elapsed = m_timer.nsecsElapsed();
        HttpResponse response = errorResponse(ApiError::internal(), m_surface);
        QMetaObject::invokeMethod(server, [server, socket, request, elapsed, response]() mutable {
            server->writeResponse(socket, *request, std::move(response), elapsed);
        });
    }
}

void Responder::send(HttpResponse response)
{
    if (m_sent.exchange(true)) {
        qCWarning(lcHttp) << "request" << m_request->requestId << "answered twice; ignored";
        return;
    }
    if (!m_server) {
        return;
    }
    if (QThread::currentThread() == m_server->thread()) {
        writeOnServerThread(std::move(response));
        return;
    }
    QMetaObject::invokeMethod(m_server, [self = shared_from_this(), response]() mutable {
        self->writeOnServerThread(std::move(response));
    });
}

void Responder::fail(const ApiError &error)
{
    send(errorResponse(error, m_surface));
}

void Responder::writeOnServerThread(HttpResponse response)
{
    if (m_server) {
        m_server->writeResponse(m_socket, *m_request, std::move(response), m_timer.nsecsElapsed());
    }
}

HttpResponse errorResponse(const ApiError &error, Surface surface)
{
    if (surface == Surface::Problem) {
        return HttpResponse::problem(error);
    }
    if (error.status == 401) {
        // The original's passport-jwt answered a plain-text 401.
        return HttpResponse::text("Unauthorized"_ba, 401);
    }
    const QString key = surface == Surface::CompatMessage ? u"message"_s : u"error"_s;
    QString text = error.detail.isEmpty() ? error.title : error.detail;
    if (!error.fieldErrors.isEmpty() && error.status == 422) {
        const FieldError &first = error.fieldErrors.first();
        text = first.field + u" "_s + first.message;
    }
    // The original answered validation failures with 400, not 422.
    const int status = error.status == 422 ? 400 : error.status;
    HttpResponse response = HttpResponse::json(QJsonObject{{key, text}}, status);
    if (error.retryAfterSeconds > 0) {
        response.setHeader("Retry-After"_ba, QByteArray::number(error.retryAfterSeconds));
    }
    return response;
}
