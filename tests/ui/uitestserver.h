// SPDX-License-Identifier: MIT
#pragma once

// Test support for the desktop client's tests: runs the real inbox-central binary (INBOX_BIN)
// on a free port with a fresh SQLite database in a temporary directory, and calls its HTTP API
// synchronously to set up data (accounts, contacts, conversations, messages, signed Twilio
// webhooks). Deliberately independent of the client library under test: plain
// QNetworkAccessManager calls.

#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

class QNetworkAccessManager;

struct HttpAnswer
{
    int status = 0;
    QJsonValue json;
    QByteArray raw;
    [[nodiscard]] QJsonObject object() const { return json.toObject(); }
};

struct TestAccount
{
    QString email;
    QString password;
    QString accessToken;
    QString refreshToken;
    QString userId;
    QString teamId;
};

class UiTestServer
{
public:
    UiTestServer();
    ~UiTestServer();

    // Starts the server with SIGNUP_MODE=open plus `env`; false (and `error`) when it did not
    // answer /healthz within 20 s.
    bool start(const QMap<QString, QString> &env = {}, QString *error = nullptr);
    void stop();
    [[nodiscard]] QUrl url() const { return m_url; }
    [[nodiscard]] QString serverOutput();

    HttpAnswer call(const QByteArray &verb, const QString &path, const QJsonValue &body = {},
                    const QString &token = {});
    HttpAnswer postForm(const QString &path, const QMap<QString, QString> &params,
                        const QString &twilioAuthToken);

    // A new account (its own team, as SIGNUP_MODE=open gives).
    TestAccount signUp(const QString &prefix);

    // Helpers for team data; each QFAILs-free: they return empty ids on failure.
    QString createContact(const TestAccount &a, const QString &name, const QString &phone);
    QString openConversation(const TestAccount &a, const QString &contactId);
    QJsonObject sendMessage(const TestAccount &a, const QString &conversationId,
                            const QString &body);
    // An SMS inbox with Twilio credentials, so signed webhooks are accepted.
    QString createSmsInbox(const TestAccount &a, const QString &address);
    // A signed inbound SMS from `from` to the inbox address; the HTTP status of the webhook.
    int inboundSms(const QString &from, const QString &to, const QString &body,
                   const QString &mediaUrl = {}, const QString &mediaType = {});

    static constexpr char AccountSid[] = "AC0123456789abcdef0123456789abcdef";
    static constexpr char AuthToken[] = "0123456789abcdef0123456789abcdef";

private:
    QNetworkAccessManager *network();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    std::unique_ptr<QNetworkAccessManager> m_network;
    QUrl m_url;
    QByteArray m_output;
};

// A free TCP port on 127.0.0.1 (0 if none).
quint16 uiFreePort();
