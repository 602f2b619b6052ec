// SPDX-License-Identifier: MIT
#pragma once
// Twilio's REST API, asynchronously (ARCHITECTURE.md "Threads": nothing waits on the network on
// a thread that serves HTTP). One object on the main thread owns the QNetworkAccessManager; its
// calls may be made from any thread and answer on the caller's `context` object's thread.
// Failures come back as ApiErrors ready for the HTTP layer (502 for Twilio's refusals, 504 for a
// timeout). The auth token is sent, never logged.

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <utility>

class QNetworkAccessManager;
class QNetworkReply;

struct TwilioNumber
{
    QString sid;          // PN...
    QString phoneNumber;  // E.164
    QString friendlyName;
};

class TwilioRestClient : public QObject
{
    Q_OBJECT
public:
    // `apiBase` is TWILIO_API_BASE (https://api.twilio.com, or a local fake in tests).
    explicit TwilioRestClient(QString apiBase, QObject *parent = nullptr);
    ~TwilioRestClient() override;

    static constexpr int TimeoutMs = 10000;

    // GET /2010-04-01/Accounts/{accountSid}/IncomingPhoneNumbers.json?PageSize={limit}: the
    // account's first `limit` incoming numbers. `done` runs on `context`'s thread, and not at all
    // if `context` is gone by then.
    void listIncomingNumbers(const QString &accountSid, const QByteArray &authToken, int limit,
                             QObject *context,
                             std::function<void(Result<QList<TwilioNumber>>)> done);

private:
    // On this object's thread: sends the request and hands the finished reply to `finished`.
    void get(const QString &accountSid, const QByteArray &authToken, const QString &resource,
             const QList<std::pair<QString, QString>> &query,
             std::function<void(QNetworkReply *)> finished);

    QString m_apiBase;
    QNetworkAccessManager *m_network;
};
