// SPDX-License-Identifier: MIT
#pragma once

// The HTTP side of the desktop client: JSON requests to the v1 API with the bearer token, and a
// transparent token refresh. A request answered 401 triggers one POST /api/v1/auth/refresh (shared
// by every request that failed meanwhile) and is then retried once with the new token; when the
// refresh itself fails the 401 is delivered and sessionExpired() tells the session to sign out.

#include "apiresult.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QUrlQuery>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

class ApiClient : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(const ApiResult &)>;

    explicit ApiClient(QObject *parent = nullptr);

    void setBaseUrl(const QUrl &url);
    [[nodiscard]] QUrl baseUrl() const { return m_baseUrl; }
    // The absolute URL of an API path ("/api/v1/…"), for links shown to the user.
    [[nodiscard]] QUrl urlFor(const QString &path, const QUrlQuery &query = {}) const;

    void setTokens(const QString &accessToken, const QString &refreshToken);
    void clearTokens();
    [[nodiscard]] QString accessToken() const { return m_accessToken; }
    [[nodiscard]] QString refreshToken() const { return m_refreshToken; }

    // `callback` runs on this thread, and only while `context` is alive.
    void get(const QString &path, const QUrlQuery &query, QObject *context, Callback callback);
    void post(const QString &path, const QJsonValue &body, QObject *context, Callback callback);
    void patch(const QString &path, const QJsonValue &body, QObject *context, Callback callback);
    void deleteResource(const QString &path, QObject *context, Callback callback);

    // Spends the refresh token for a new pair now (the socket asks for this when the server
    // refuses its token). `done(true)` once new tokens are set.
    void refreshTokens(QObject *context, std::function<void(bool)> done);

    [[nodiscard]] QNetworkAccessManager *network() const { return m_network; }

Q_SIGNALS:
    void tokensChanged();
    void sessionExpired();

private:
    struct Request
    {
        QByteArray verb;
        QString path;
        QUrlQuery query;
        QJsonValue body; // Undefined: no body
        QPointer<QObject> context;
        Callback callback;
        bool retried = false;
        ApiResult firstAnswer; // the 401, delivered if the refresh fails
    };

    void perform(const Request &request);
    void finished(QNetworkReply *reply, const Request &request);
    void startRefresh();
    void refreshFinished(bool ok);

    QNetworkAccessManager *m_network;
    QUrl m_baseUrl;
    QString m_accessToken;
    QString m_refreshToken;
    bool m_refreshing = false;
    QList<Request> m_waitingForRefresh;
    QList<std::pair<QPointer<QObject>, std::function<void(bool)>>> m_refreshListeners;
};
