// SPDX-License-Identifier: MIT
#pragma once

// The app's end of the Google sign-in: a one-shot HTTP listener on 127.0.0.1 (RFC 8252 loopback
// redirect). The browser is sent to GET /api/v1/auth/google/start?redirect=<redirectUrl()>; the
// server ends the flow by redirecting to that URL with `token`/`accessToken` and `refreshToken`
// in the query or in the fragment. A fragment never reaches a server, so a request without
// tokens is answered with a tiny page that re-requests the same URL with the fragment as query.
// The first request carrying tokens (or an `error`) finishes the listener.

#include <QObject>
#include <QTimer>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

class LoopbackListener : public QObject
{
    Q_OBJECT

public:
    explicit LoopbackListener(QObject *parent = nullptr);

    // Listens on 127.0.0.1 on a free port; false when that failed. Gives up after `timeoutMs`.
    [[nodiscard]] bool start(int timeoutMs = 300'000);
    void stop();
    [[nodiscard]] bool isListening() const;
    // http://127.0.0.1:<port>/callback
    [[nodiscard]] QUrl redirectUrl() const;

Q_SIGNALS:
    void tokensReceived(const QString &accessToken, const QString &refreshToken);
    void failed(const QString &reason);

private:
    void readRequest(QTcpSocket *socket);
    void answer(QTcpSocket *socket, const QByteArray &status, const QByteArray &html);

    QTcpServer *m_server;
    QTimer m_timeout;
};
