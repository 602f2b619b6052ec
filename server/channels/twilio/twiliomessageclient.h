// SPDX-License-Identifier: MIT
#pragma once
// Twilio's Messages resource: create (send) and list (reconcile an unknown outcome), with every
// answer classified for the delivery job (TWILIO.md "Outbound REST"):
//   accepted  — 201, Twilio has the message (sid);
//   rejected  — a 4xx with Twilio's code (21211 bad To, 21610 unsubscribed, 20003 auth...):
//               permanent, do not retry;
//   transient — 429 or no connection at all: Twilio never processed it, safe to retry;
//   unknown   — 5xx, timeout, or the connection broke after the request left: it may have been
//               sent, so reconcile (list what was sent) before any retry.
// One object on the main thread owns the QNetworkAccessManager; calls may come from any thread
// and answer on `context`'s thread. The auth token is sent, never logged.

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

struct TwilioAccount
{
    QString accountSid;
    QByteArray authToken;
};

struct OutboundTwilioMessage
{
    QString to;   // "+1…" or "whatsapp:+1…"
    QString from; // ours; empty when messagingServiceSid is set
    QString messagingServiceSid;
    QString body;
    QStringList mediaUrls;
    QString statusCallback; // absolute URL
};

struct TwilioSendOutcome
{
    enum class Kind { Accepted, Rejected, Transient, Unknown };
    Kind kind = Kind::Unknown;
    QString sid;        // accepted
    QString status;     // accepted: Twilio's status (queued, accepted, ...)
    int httpStatus = 0; // 0: no HTTP answer
    int code = 0;       // Twilio's error code, when it gave one
    QString message;    // Twilio's error text, or ours for network failures
    QJsonObject resource; // accepted: the whole answer

    [[nodiscard]] QString errorText() const;
};

// A message Twilio lists as sent (for reconciliation).
struct TwilioListedMessage
{
    QString sid;
    QString to;
    QString from;
    QString body;
    QString status;
    QDateTime dateCreated;
};

class TwilioMessageClient : public QObject
{
    Q_OBJECT
public:
    explicit TwilioMessageClient(QString apiBase, QObject *parent = nullptr);
    ~TwilioMessageClient() override;

    static constexpr int TimeoutMs = 15000;

    void send(const TwilioAccount &account, const OutboundTwilioMessage &message, QObject *context,
              std::function<void(TwilioSendOutcome)> done);
    // Messages from `from` to `to` sent on or after `since`'s UTC day, newest first (one page).
    void listSent(const TwilioAccount &account, const QString &to, const QString &from,
                  const QDateTime &since, QObject *context,
                  std::function<void(Result<QList<TwilioListedMessage>>)> done);

private:
    QNetworkReply *request(const TwilioAccount &account, const QByteArray &method,
                           const QString &resource, const QByteArray &form,
                           const QString &query = {});

    QString m_apiBase;
    QNetworkAccessManager *m_network;
};
