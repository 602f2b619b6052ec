// SPDX-License-Identifier: MIT
#include "session.h"

#include "apiclient.h"
#include "clientlogging.h"
#include "loopbacklistener.h"
#include "socketioclient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {
// After this many refused CONNECTs in a row, even with fresh tokens, stop trying.
constexpr int MaxRefusals = 2;
} // namespace

Session::Session(QObject *parent)
    : QObject(parent)
    , m_api(new ApiClient(this))
    , m_socket(new SocketIoClient(this))
{
    m_socket->setAuthProvider([this] { return QJsonObject {{u"token"_s, m_api->accessToken()}}; });
    connect(m_api, &ApiClient::tokensChanged, this, &Session::tokensChanged);
    connect(m_api, &ApiClient::sessionExpired, this, [this] {
        if (m_signedIn) {
            endSession(tr("Your session has expired. Please sign in again."));
        }
    });
    connect(m_socket, &SocketIoClient::stateChanged, this, &Session::realtimeConnectedChanged);
    connect(m_socket, &SocketIoClient::connected, this, [this] {
        m_refusals = 0;
        if (m_everConnected && !m_socket->recovered()) {
            Q_EMIT resyncNeeded();
        }
        m_everConnected = true;
    });
    connect(m_socket, &SocketIoClient::connectError, this,
            [this](const QString &, const QJsonValue &) { reauthenticateSocket(); });
    connect(m_socket, &SocketIoClient::disconnected, this, [this](const QString &reason) {
        // The server disconnects a socket whose token expired.
        if (reason == u"io server disconnect"_s) {
            reauthenticateSocket();
        }
    });
    connect(m_socket, &SocketIoClient::eventReceived, this,
            [this](const QString &name, const QJsonArray &args, qint64) {
                Q_EMIT realtimeEvent(name, args.isEmpty() ? QJsonValue() : args.first());
            });
}

void Session::setServerUrl(const QUrl &url)
{
    if (m_serverUrl == url) {
        return;
    }
    m_serverUrl = url;
    m_api->setBaseUrl(url);
    m_socket->setUrl(url);
    Q_EMIT serverUrlChanged();
}

QString Session::userId() const
{
    return m_user.value(u"id"_s).toString();
}

QString Session::userName() const
{
    const QString name = m_user.value(u"name"_s).toString();
    return name.isEmpty() ? m_user.value(u"email"_s).toString() : name;
}

void Session::setTeamId(const QString &teamId)
{
    if (m_teamId != teamId) {
        m_teamId = teamId;
        Q_EMIT teamIdChanged();
    }
}

QString Session::role() const
{
    const QVariantList teams = m_user.value(u"teams"_s).toList();
    for (const QVariant &team : teams) {
        const QVariantMap t = team.toMap();
        if (t.value(u"id"_s).toString() == m_teamId) {
            return t.value(u"role"_s).toString();
        }
    }
    return {};
}

bool Session::isRealtimeConnected() const
{
    return m_socket->isConnected();
}

QString Session::refreshToken() const
{
    return m_api->refreshToken();
}

QString Session::teamPath(const QString &rest) const
{
    return u"/api/v1/teams/"_s + m_teamId + rest;
}

void Session::setBusy(bool busy)
{
    if (m_busy != busy) {
        m_busy = busy;
        Q_EMIT busyChanged();
    }
}

void Session::setError(const QString &error)
{
    if (m_error != error) {
        m_error = error;
        Q_EMIT errorStringChanged();
    }
}

void Session::adoptUser(const QJsonObject &user)
{
    m_user = user.toVariantMap();
    Q_EMIT userChanged();
    const QJsonArray teams = user.value(u"teams"_s).toArray();
    const bool stillMember = std::any_of(teams.begin(), teams.end(), [this](const QJsonValue &t) {
        return t.toObject().value(u"id"_s).toString() == m_teamId;
    });
    if (!stillMember) {
        setTeamId(teams.isEmpty() ? QString() : teams.first().toObject().value(u"id"_s).toString());
    }
}

void Session::signIn(const QString &email, const QString &password)
{
    const QJsonObject body{{u"email"_s, email.trimmed()}, {u"password"_s, password}};
    startSession(u"/api/v1/auth/login"_s, body);
}

void Session::signUp(const QString &name, const QString &email, const QString &password)
{
    QJsonObject body{{u"email"_s, email.trimmed()}, {u"password"_s, password}};
    if (!name.trimmed().isEmpty()) {
        body.insert(u"name"_s, name.trimmed());
    }
    startSession(u"/api/v1/auth/signup"_s, body);
}

void Session::startSession(const QString &path, const QJsonObject &body)
{
    setBusy(true);
    setError({});
    // Login and signup answer the same session shape: {accessToken, refreshToken, user}.
    m_api->post(path, body, this, [this](const ApiResult &result) {
        setBusy(false);
        if (!result.ok()) {
            const QString code = result.problem.code();
            if (code == u"invalid-credentials"_s) {
                setError(tr("Wrong email or password."));
            } else if (code == u"signup-invite-only"_s) {
                setError(tr("This server only takes invited people: ask an admin for an "
                            "invitation."));
            } else if (code == u"signup-closed"_s) {
                setError(tr("This server takes no new accounts."));
            } else {
                setError(result.problem.message());
            }
            return;
        }
        const QJsonObject session = result.object();
        m_api->setTokens(session.value(u"accessToken"_s).toString(),
                         session.value(u"refreshToken"_s).toString());
        adoptUser(session.value(u"user"_s).toObject());
        finishSignIn();
    });
}

void Session::signInWithTokens(const QString &accessToken, const QString &refreshToken)
{
    setBusy(true);
    setError({});
    m_api->setTokens(accessToken, refreshToken);
    m_api->get(u"/api/v1/auth/me"_s, {}, this, [this](const ApiResult &result) {
        setBusy(false);
        if (!result.ok()) {
            m_api->clearTokens();
            setError(result.problem.message());
            return;
        }
        adoptUser(result.object().value(u"user"_s).toObject());
        finishSignIn();
    });
}

QUrl Session::startGoogleSignIn()
{
    if (!m_loopback) {
        m_loopback = new LoopbackListener(this);
        connect(m_loopback, &LoopbackListener::tokensReceived, this, &Session::signInWithTokens);
        connect(m_loopback, &LoopbackListener::failed, this, [this](const QString &reason) {
            setError(tr("Google sign-in failed: %1").arg(reason));
        });
    }
    if (!m_loopback->start()) {
        setError(tr("Could not start the sign-in listener."));
        return {};
    }
    setError({});
    QUrlQuery query;
    query.addQueryItem(u"redirect"_s, m_loopback->redirectUrl().toString());
    return m_api->urlFor(u"/api/v1/auth/google/start"_s, query);
}

void Session::finishSignIn()
{
    m_refusals = 0;
    m_everConnected = false;
    if (!m_signedIn) {
        m_signedIn = true;
        Q_EMIT signedInChanged();
    }
    m_socket->open();
}

void Session::reauthenticateSocket()
{
    if (!m_signedIn) {
        return;
    }
    if (++m_refusals > MaxRefusals) {
        qCWarning(lcClient) << "real-time connection refused repeatedly; giving up";
        setError(tr("The live connection was refused by the server."));
        return;
    }
    m_api->refreshTokens(this, [this](bool ok) {
        if (ok && m_signedIn) {
            m_socket->open();
        }
    });
}

void Session::signOut()
{
    if (!m_api->refreshToken().isEmpty()) {
        // Revokes the sign-in on the server; the answer does not matter.
        m_api->post(u"/api/v1/auth/logout"_s,
                    QJsonObject {{u"refreshToken"_s, m_api->refreshToken()}}, this,
                    [](const ApiResult &) {});
    }
    endSession({});
}

void Session::endSession(const QString &reason)
{
    m_socket->close();
    m_api->clearTokens();
    Q_EMIT tokensChanged();
    m_user.clear();
    Q_EMIT userChanged();
    setError(reason);
    if (m_signedIn) {
        m_signedIn = false;
        Q_EMIT signedInChanged();
    }
}
