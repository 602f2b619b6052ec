// SPDX-License-Identifier: MIT
#include "apiclient.h"

#include "clientlogging.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace {

constexpr int TransferTimeoutMs = 30'000;

bool isAuthPath(const QString &path)
{
    // A 401 from these is the answer itself (bad password, spent refresh token), not an expired
    // access token.
    return path.startsWith(u"/api/v1/auth/login"_s) || path.startsWith(u"/api/v1/auth/refresh"_s)
            || path.startsWith(u"/api/v1/auth/signup"_s)
            || path.startsWith(u"/api/v1/auth/logout"_s);
}

} // namespace

ApiClient::ApiClient(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
}

void ApiClient::setBaseUrl(const QUrl &url)
{
    m_baseUrl = url;
}

QUrl ApiClient::urlFor(const QString &path, const QUrlQuery &query) const
{
    QUrl url = m_baseUrl;
    QString prefix = url.path();
    while (prefix.endsWith(u'/')) {
        prefix.chop(1);
    }
    url.setPath(prefix + path);
    // A literal '+' would read as a space on the server (form encoding): a phone number search
    // ("+1415…") must keep it.
    QString encoded = query.query(QUrl::FullyEncoded);
    encoded.replace(u'+', u"%2B"_s);
    url.setQuery(encoded, QUrl::StrictMode);
    return url;
}

void ApiClient::setTokens(const QString &accessToken, const QString &refreshToken)
{
    m_accessToken = accessToken;
    m_refreshToken = refreshToken;
    Q_EMIT tokensChanged();
}

void ApiClient::clearTokens()
{
    m_accessToken.clear();
    m_refreshToken.clear();
}

void ApiClient::get(const QString &path, const QUrlQuery &query, QObject *context,
                    Callback callback)
{
    perform({"GET",
             path,
             query,
             QJsonValue(QJsonValue::Undefined),
             context,
             std::move(callback),
             false,
             {}});
}

void ApiClient::post(const QString &path, const QJsonValue &body, QObject *context,
                     Callback callback)
{
    perform({"POST", path, {}, body, context, std::move(callback), false, {}});
}

void ApiClient::patch(const QString &path, const QJsonValue &body, QObject *context,
                      Callback callback)
{
    perform({"PATCH", path, {}, body, context, std::move(callback), false, {}});
}

void ApiClient::deleteResource(const QString &path, QObject *context, Callback callback)
{
    perform({"DELETE",
             path,
             {},
             QJsonValue(QJsonValue::Undefined),
             context,
             std::move(callback),
             false,
             {}});
}

void ApiClient::perform(const Request &request)
{
    QNetworkRequest req(urlFor(request.path, request.query));
    req.setTransferTimeout(TransferTimeoutMs);
    req.setRawHeader("Accept", "application/json");
    if (!m_accessToken.isEmpty() && !isAuthPath(request.path)) {
        req.setRawHeader("Authorization", "Bearer " + m_accessToken.toUtf8());
    }
    QByteArray payload;
    if (!request.body.isUndefined()) {
        req.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        payload = request.body.isArray()
                ? QJsonDocument(request.body.toArray()).toJson(QJsonDocument::Compact)
                : QJsonDocument(request.body.toObject()).toJson(QJsonDocument::Compact);
    }
    QNetworkReply *reply = request.body.isUndefined() && request.verb == "GET"
            ? m_network->get(req)
            : m_network->sendCustomRequest(req, request.verb, payload);
    connect(reply, &QNetworkReply::finished, this, [this, reply, request] {
        reply->deleteLater();
        finished(reply, request);
    });
}

void ApiClient::finished(QNetworkReply *reply, const Request &request)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray data = reply->readAll();
    if (status == 401 && !request.retried && !isAuthPath(request.path)
        && !m_refreshToken.isEmpty()) {
        Request again = request;
        again.retried = true;
        again.firstAnswer = ApiResult::fromReply(status, data, {});
        m_waitingForRefresh.append(again);
        startRefresh();
        return;
    }
    const ApiResult result
            = ApiResult::fromReply(status, data, status == 0 ? reply->errorString() : QString());
    if (!result.ok()) {
        qCDebug(lcClient) << request.verb << request.path << "→" << status << result.problem.code();
    }
    if (request.context && request.callback) {
        request.callback(result);
    }
}

void ApiClient::refreshTokens(QObject *context, std::function<void(bool)> done)
{
    m_refreshListeners.append({QPointer<QObject>(context), std::move(done)});
    startRefresh();
}

void ApiClient::startRefresh()
{
    if (m_refreshing) {
        return;
    }
    if (m_refreshToken.isEmpty()) {
        refreshFinished(false);
        return;
    }
    m_refreshing = true;
    const QJsonObject body {{u"refreshToken"_s, m_refreshToken}};
    perform({"POST",
             u"/api/v1/auth/refresh"_s,
             {},
             body,
             this,
             [this](const ApiResult &result) {
                 m_refreshing = false;
                 const QJsonObject session = result.object();
                 if (result.ok() && session.contains(u"accessToken"_s)) {
                     setTokens(session.value(u"accessToken"_s).toString(),
                               session.value(u"refreshToken"_s).toString());
                     refreshFinished(true);
                 } else {
                     qCInfo(lcClient) << "token refresh refused:" << result.problem.code();
                     refreshFinished(false);
                 }
             },
             false,
             {}});
}

void ApiClient::refreshFinished(bool ok)
{
    const QList<Request> waiting = std::exchange(m_waitingForRefresh, {});
    const auto listeners = std::exchange(m_refreshListeners, {});
    if (!ok) {
        m_accessToken.clear();
        m_refreshToken.clear();
    }
    for (const Request &request : waiting) {
        if (ok) {
            perform(request);
        } else if (request.context && request.callback) {
            request.callback(request.firstAnswer);
        }
    }
    for (const auto &[context, done] : listeners) {
        if (context && done) {
            done(ok);
        }
    }
    if (!ok && (!waiting.isEmpty() || !listeners.isEmpty())) {
        Q_EMIT sessionExpired();
    }
}
