// SPDX-License-Identifier: MIT
#pragma once

// One signed-in user on one server: the API client, the real-time socket and who the user is.
// Sign-in with a password, or with tokens handed over by the Google loopback flow. The models
// share a Session: they call the API through it and get its real-time events. When the server
// refuses the socket's token (expired, or the server disconnects the socket when it expires) the
// session refreshes the tokens once and reconnects; when the refresh fails it signs out.

#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QUrl>
#include <QVariantMap>

class ApiClient;
class LoopbackListener;
class SocketIoClient;

class Session : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QUrl serverUrl READ serverUrl WRITE setServerUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(bool signedIn READ isSignedIn NOTIFY signedInChanged)
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    Q_PROPERTY(QVariantMap user READ user NOTIFY userChanged)
    Q_PROPERTY(QString userId READ userId NOTIFY userChanged)
    Q_PROPERTY(QString userName READ userName NOTIFY userChanged)
    Q_PROPERTY(QString teamId READ teamId WRITE setTeamId NOTIFY teamIdChanged)
    Q_PROPERTY(QString role READ role NOTIFY teamIdChanged)
    Q_PROPERTY(bool realtimeConnected READ isRealtimeConnected NOTIFY realtimeConnectedChanged)
    // For whoever keeps the sign-in across restarts (the desktop app's keychain).
    Q_PROPERTY(QString refreshToken READ refreshToken NOTIFY tokensChanged)

public:
    explicit Session(QObject *parent = nullptr);

    [[nodiscard]] QUrl serverUrl() const { return m_serverUrl; }
    void setServerUrl(const QUrl &url);
    [[nodiscard]] bool isSignedIn() const { return m_signedIn; }
    [[nodiscard]] bool isBusy() const { return m_busy; }
    [[nodiscard]] QString errorString() const { return m_error; }
    [[nodiscard]] QVariantMap user() const { return m_user; }
    [[nodiscard]] QString userId() const;
    [[nodiscard]] QString userName() const;
    [[nodiscard]] QString teamId() const { return m_teamId; }
    void setTeamId(const QString &teamId);
    [[nodiscard]] QString role() const;
    [[nodiscard]] bool isRealtimeConnected() const;
    [[nodiscard]] QString refreshToken() const;

    [[nodiscard]] ApiClient *api() const { return m_api; }
    [[nodiscard]] SocketIoClient *socket() const { return m_socket; }

    // "/api/v1/teams/<teamId>" + rest.
    [[nodiscard]] QString teamPath(const QString &rest) const;

    Q_INVOKABLE void signIn(const QString &email, const QString &password);
    // Creates an account (the first one of an empty server becomes its admin; later ones per
    // the team's signup mode) and signs in with it.
    Q_INVOKABLE void signUp(const QString &name, const QString &email, const QString &password);
    Q_INVOKABLE void signInWithTokens(const QString &accessToken, const QString &refreshToken);
    // Starts the loopback listener and returns the URL to open in the browser (the QML layer
    // opens it with Qt.openUrlExternally); an empty URL when no listener could be started.
    Q_INVOKABLE QUrl startGoogleSignIn();
    Q_INVOKABLE void signOut();

Q_SIGNALS:
    void serverUrlChanged();
    void signedInChanged();
    void busyChanged();
    void errorStringChanged();
    void userChanged();
    void teamIdChanged();
    void realtimeConnectedChanged();
    void tokensChanged();
    // A real-time event for the models: its name and first argument (the payload).
    void realtimeEvent(const QString &name, const QJsonValue &payload);
    // The socket came back without recovery: events may have been missed, reload.
    void resyncNeeded();

private:
    void setBusy(bool busy);
    void setError(const QString &error);
    void adoptUser(const QJsonObject &user);
    void finishSignIn();
    void startSession(const QString &path, const QJsonObject &body);
    void reauthenticateSocket();
    void endSession(const QString &reason);

    ApiClient *m_api;
    SocketIoClient *m_socket;
    LoopbackListener *m_loopback = nullptr;
    QUrl m_serverUrl;
    bool m_signedIn = false;
    bool m_busy = false;
    QString m_error;
    QVariantMap m_user;
    QString m_teamId;
    bool m_everConnected = false;
    int m_refusals = 0; // socket refusals since the last accepted CONNECT
};
