// SPDX-License-Identifier: MIT
#include "httpserver.h"

#include "core/ids.h"
#include "core/logging.h"
#include "core/metrics.h"
#include "http/responder.h"

#include <QHttpServerRequest>
#include <QEventLoop>
#include <QTcpServer>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get: return "GET"_ba;
    case QHttpServerRequest::Method::Put: return "PUT"_ba;
    case QHttpServerRequest::Method::Delete: return "DELETE"_ba;
    case QHttpServerRequest::Method::Post: return "POST"_ba;
    case QHttpServerRequest::Method::Head: return "HEAD"_ba;
    case QHttpServerRequest::Method::Options: return "OPTIONS"_ba;
    case QHttpServerRequest::Method::Patch: return "PATCH"_ba;
    case QHttpServerRequest::Method::Connect: return "CONNECT"_ba;
    case QHttpServerRequest::Method::Trace: return "TRACE"_ba;
    default: return "UNKNOWN"_ba;
    }
}

// Request ids: a per-process random prefix and a counter. Unique enough to find a request in
// the logs, and far cheaper than a UUID per request on the hot path.
QByteArray nextRequestId()
{
    static const QByteArray prefix = newId().toLatin1().right(12);
    static std::atomic<quint64> counter = 0;
    return prefix + '-' + QByteArray::number(counter.fetch_add(1) + 1, 36);
}

// A client-supplied request id is echoed only when it is short and harmless in a log line.
bool acceptableRequestId(const QByteArray &id)
{
    if (id.isEmpty() || id.size() > 64) {
        return false;
    }
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_' || c == '.';
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool isJsonContentType(const QByteArray &contentType)
{
    const QByteArray type = contentType.split(';').first().trimmed().toLower();
    return type == "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

bool isFormContentType(const QByteArray &contentType)
{
    return contentType.split(';').first().trimmed().toLower() == "application/x-www-form-urlencoded";
}

Surface surfaceForPath(const QString &path)
{
    if (path.startsWith(u"/api/"_s) && !path.startsWith(u"/api/v1/"_s) && path != u"/api/v1"_s) {
        return Surface::CompatError;
    }
    return Surface::Problem;
}

} // namespace

HttpServer::HttpServer(HttpSettings settings, Router *router, std::atomic_int *inFlight,
                       const std::atomic_bool *draining, QObject *parent)
    : QAbstractHttpServer(parent), m_settings(std::move(settings)), m_router(router),
      m_inFlight(inFlight), m_draining(draining)
{
    if (!m_settings.webSockets.isEmpty()) {
        // Qt upgrades a request only while this signal has a receiver (and handleRequest says yes).
        connect(this, &QAbstractHttpServer::newWebSocketConnection, this, [this] {
            while (hasPendingWebSocketConnections()) {
                std::unique_ptr<QWebSocket> socket = nextPendingWebSocketConnection();
                const QString path = socket->requestUrl().path();
                for (const WebSocketEndpoint &endpoint : std::as_const(m_settings.webSockets)) {
                    if (path.startsWith(endpoint.pathPrefix) || path + u'/' == endpoint.pathPrefix) {
                        endpoint.accept(socket.release());
                        break;
                    }
                }
            }
        });
    }
}

bool HttpServer::adoptListeningSocket(qintptr descriptor)
{
    auto *tcpServer = new QTcpServer(this);
    if (!tcpServer->setSocketDescriptor(descriptor)) {
        delete tcpServer;
        return false;
    }
    bind(tcpServer);
    return true;
}

void HttpServer::stopListening()
{
    for (QTcpServer *server : servers()) {
        server->close();
    }
}

void HttpServer::closeConnections(int graceMs)
{
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    for (QTcpSocket *socket : std::as_const(m_sockets)) {
        connect(socket, &QAbstractSocket::disconnected, &loop, [this, &loop] {
            if (std::all_of(m_sockets.cbegin(), m_sockets.cend(), [](QTcpSocket *s) {
                    return s->state() == QAbstractSocket::UnconnectedState;
                })) {
                loop.quit();
            }
        });
        socket->disconnectFromHost(); // writes what is buffered, then closes
    }
    const bool pending = std::any_of(m_sockets.cbegin(), m_sockets.cend(), [](QTcpSocket *s) {
        return s->state() != QAbstractSocket::UnconnectedState;
    });
    if (pending) {
        timer.start(graceMs);
        loop.exec();
    }
}

void HttpServer::trackSocket(QTcpSocket *socket)
{
    if (m_sockets.contains(socket)) {
        return;
    }
    m_sockets.insert(socket);
    Metrics::instance().connectionOpened();
    connect(socket, &QObject::destroyed, this, [this, socket] {
        m_sockets.remove(socket);
        Metrics::instance().connectionClosed();
    });
}

bool HttpServer::handleRequest(const QHttpServerRequest &qtRequest, QTcpSocket *socket)
{
    trackSocket(socket);
    const QUrl url = qtRequest.url();
    const QString path = url.path(QUrl::FullyDecoded);

    const QByteArray upgrade = qtRequest.value("upgrade"_ba);
    if (!upgrade.isEmpty() && upgrade.compare("websocket", Qt::CaseInsensitive) == 0) {
        // Returning true hands the socket to Qt's WebSocket server (newWebSocketConnection).
        for (const WebSocketEndpoint &endpoint : std::as_const(m_settings.webSockets)) {
            if (path.startsWith(endpoint.pathPrefix) || path + u'/' == endpoint.pathPrefix) {
                // Qt takes the socket over for the WebSocket and drops every connection to its
                // signals (our `destroyed` one too): keeping it in m_sockets would leave a
                // dangling pointer for closeConnections() once the WebSocket ends (seen as a
                // crash on stop after a WebSocket client had disconnected).
                if (m_sockets.remove(socket)) {
                    disconnect(socket, &QObject::destroyed, this, nullptr);
                    Metrics::instance().connectionClosed();
                }
                return true;
            }
        }
        return false;
    }

    auto request = std::make_shared<HttpRequest>();
    request->method = methodName(qtRequest.method());
    request->path = path;
    if (url.hasQuery()) {
        request->query = QUrlQuery(url);
    }
    request->headers = qtRequest.headers(); // names as sent: header() ignores case
    request->body = qtRequest.body();
    request->remoteAddress = qtRequest.remoteAddress();
    const QByteArray clientId = request->header("x-request-id");
    request->requestId = acceptableRequestId(clientId) ? clientId : nextRequestId();

    Router::Match match = m_router->match(request->method, path);
    Surface surface = match.route ? match.route->surface : surfaceForPath(path);
    request->routePattern = match.route ? match.route->pattern : u"(unmatched)"_s;
    request->pathParams = std::move(match.params);

    m_inFlight->fetch_add(1);
    auto responder = std::make_shared<Responder>(this, socket, request, surface);

    // CORS preflight: answered here for every path, so routes need not declare OPTIONS.
    if (request->method == "OPTIONS") {
        HttpResponse response = HttpResponse::noContent();
        if (!request->header("access-control-request-method").isEmpty()
            && originAllowed(request->header("origin"))) {
            response.setHeader("Access-Control-Allow-Methods"_ba,
                               "GET, POST, PUT, PATCH, DELETE, OPTIONS"_ba);
            response.setHeader("Access-Control-Allow-Headers"_ba,
                               "Authorization, Content-Type, X-Request-Id"_ba);
            response.setHeader("Access-Control-Max-Age"_ba, "600"_ba);
        } else if (match.route || !match.allowedMethods.isEmpty()) {
            response.setHeader("Allow"_ba, match.allowedMethods.isEmpty()
                                               ? "GET, HEAD, OPTIONS"_ba
                                               : match.allowedMethods);
        }
        responder->send(std::move(response));
        return true;
    }

    if (request->body.size() > m_settings.maxBodyBytes) {
        ApiError error{413, u"body-too-large"_s, u"Request body too large"_s,
                       u"The request body is %1 bytes; the limit is %2."_s
                           .arg(request->body.size())
                           .arg(m_settings.maxBodyBytes),
                       {}, 0};
        responder->fail(error);
        return true;
    }

    if (!match.route) {
        if (!match.allowedMethods.isEmpty()) {
            HttpResponse response = errorResponse(
                ApiError{405, u"method-not-allowed"_s, u"Method not allowed"_s,
                         u"%1 is not allowed here; use %2."_s.arg(
                             QString::fromLatin1(request->method),
                             QString::fromLatin1(match.allowedMethods)),
                         {}, 0},
                surface);
            response.setHeader("Allow"_ba, match.allowedMethods);
            responder->send(std::move(response));
        } else if (surface == Surface::CompatError) {
            responder->send(HttpResponse::json(QJsonObject{{u"error"_s, u"not_found"_s}}, 404));
        } else {
            responder->fail(ApiError::notFound(u"No route for %1 %2."_s.arg(
                QString::fromLatin1(request->method), path)));
        }
        return true;
    }

    const bool carriesBody = !request->body.isEmpty();
    if (carriesBody && match.route->body != BodyKind::Any) {
        const QByteArray contentType = request->header("content-type");
        const bool ok = match.route->body == BodyKind::Json ? isJsonContentType(contentType)
                                                           : isFormContentType(contentType);
        if (!ok) {
            responder->fail(ApiError{
                415, u"unsupported-media-type"_s, u"Unsupported media type"_s,
                match.route->body == BodyKind::Json
                    ? u"Send the body as application/json."_s
                    : u"Send the body as application/x-www-form-urlencoded."_s,
                {}, 0});
            return true;
        }
    }

    match.route->handler(request, responder);
    return true;
}

void HttpServer::missingHandler(const QHttpServerRequest &qtRequest, QTcpSocket *socket)
{
    // Only reached for WebSocket upgrades on paths that do not take them.
    HttpRequest request;
    request.method = methodName(qtRequest.method());
    request.path = qtRequest.url().path();
    request.requestId = nextRequestId();
    request.routePattern = u"(websocket)"_s;
    m_inFlight->fetch_add(1);
    writeResponse(socket, request,
                  HttpResponse::problem(ApiError::notFound(u"No WebSocket endpoint here."_s)), 0);
}

bool HttpServer::originAllowed(const QByteArray &origin) const
{
    if (origin.isEmpty()) {
        return false;
    }
    for (const QString &allowed : m_settings.corsOrigins) {
        if (allowed == u"*"_s || allowed.toUtf8() == origin) {
            return true;
        }
    }
    return false;
}

void HttpServer::addCommonHeaders(HttpResponse &response, const HttpRequest &request) const
{
    response.headers.reserve(response.headers.size() + 12);
    response.headers.append({"X-Request-Id"_ba, request.requestId});
    response.headers.append({"X-Content-Type-Options"_ba, "nosniff"_ba});
    response.headers.append({"X-Frame-Options"_ba, "DENY"_ba});
    response.headers.append({"Referrer-Policy"_ba, "no-referrer"_ba});
    response.headers.append({"Content-Security-Policy"_ba,
                             "default-src 'none'; frame-ancestors 'none'"_ba});
    response.headers.append({"Cross-Origin-Resource-Policy"_ba, "same-site"_ba});
    if (response.header("cache-control").isEmpty()) {
        response.headers.append({"Cache-Control"_ba, "no-store"_ba});
    }
    const QByteArray origin = request.header("origin");
    if (originAllowed(origin)) {
        const bool any = m_settings.corsOrigins.contains(u"*"_s);
        response.headers.append({"Access-Control-Allow-Origin"_ba, any ? "*"_ba : origin});
        if (!any) {
            response.headers.append({"Access-Control-Allow-Credentials"_ba, "true"_ba});
        }
        response.headers.append({"Access-Control-Expose-Headers"_ba, "X-Request-Id, Retry-After"_ba});
        response.headers.append({"Vary"_ba, "Origin"_ba});
    }
}

void HttpServer::writeResponse(const QPointer<QTcpSocket> &socket, const HttpRequest &request,
                               HttpResponse response, qint64 elapsedNs)
{
    const bool wasLast = m_inFlight->fetch_sub(1) == 1;
    addCommonHeaders(response, request);
    const double seconds = double(elapsedNs) / 1e9;
    Metrics::instance().observeRequest(request.routePattern, request.method, response.status,
                                       seconds);
    if (m_settings.accessLog) {
        // The path only: query strings may carry tokens.
        qCInfo(lcAccess).noquote() << request.requestId << request.clientIp()
                                   << request.method << request.path << response.status
                                   << response.body.size() << QString::number(seconds * 1000.0, 'f', 2)
                                       + u"ms"_s;
    }

    if (socket && socket->state() == QAbstractSocket::ConnectedState) {
        const bool close = request.header("connection").toLower().contains("close");
        QByteArray out;
        out.reserve(256 + response.body.size() + response.headers.size() * 48);
        out += "HTTP/1.1 " + QByteArray::number(response.status) + ' '
            + reasonPhrase(response.status) + "\r\n";
        for (const auto &[name, value] : std::as_const(response.headers)) {
            out += name + ": " + value + "\r\n";
        }
        if (response.status != 204 && response.status != 304) {
            out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
        }
        if (close) {
            out += "Connection: close\r\n";
        }
        out += "\r\n";
        if (request.method != "HEAD") {
            out += response.body;
        }
        socket->write(out);
        if (close) {
            socket->disconnectFromHost();
        }
    }
    if (wasLast && m_draining->load()) {
        Q_EMIT idle();
    }
}
