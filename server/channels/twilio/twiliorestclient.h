// SPDX-License-Identifier: MIT
#pragma once
// Twilio's REST API, asynchronously (ARCHITECTURE.md "Threads": nothing waits on the network on
// a thread that serves HTTP). One object on the main thread owns the QNetworkAccessManager; its
// calls may be made from any thread and answer on the caller's `context` object's thread.
// Failures come back as ApiErrors ready for the HTTP layer (502 for Twilio's refusals, 504 for a
// timeout). The auth token is sent, never logged.

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <utility>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
class QUrl;
class QUrl;

struct TwilioNumber
{
    QString sid;          // PN...
    QString phoneNumber;  // E.164
    QString friendlyName;
};

// A media file as Twilio served it.
struct TwilioMedia
{
    QByteArray bytes;
    QString contentType; // as Twilio (or its CDN) labelled it; may be empty
};

// An outbound call to create (Calls.json): Twilio dials `to` from `from` and, once answered,
// fetches the TwiML at `url`; call progress goes to `statusCallback`.
struct TwilioCallRequest
{
    QString to;
    QString from;
    QString url;
    QString statusCallback;
    QStringList statusCallbackEvents; // initiated, ringing, answered, completed
};

// The call resource Twilio answered with.
struct TwilioCall
{
    QString sid;    // CA...
    QString status; // queued, usually
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

    // Media of inbound messages. GETs `url` (the caller has checked it against Twilio's media URL
    // pattern: TwilioMediaUrl::isMediaUrl) with HTTP Basic credentials, following at most
    // MaxMediaRedirects redirects (Twilio sends media on to its CDN) to https, or to the API
    // base's own scheme; the credentials go only to the API base's host. Reading stops past
    // `maxBytes`. Failure types: twilio-media-not-found (404: a fresh media URL may 404 for a
    // moment), twilio-media-too-large, twilio-media-refused (other 4xx), twilio-auth-failed,
    // twilio-error (5xx, 429), twilio-timeout, twilio-unreachable.
    static constexpr int MaxMediaRedirects = 3;
    void fetchMedia(const QString &url, const QString &accountSid, const QByteArray &authToken,
                    qint64 maxBytes, QObject *context,
                    std::function<void(Result<TwilioMedia>)> done);

    // POST /2010-04-01/Accounts/{accountSid}/Messages.json with `form` (To, From, Body, ...):
    // Twilio's message resource (201) or the failure as listIncomingNumbers reports it.
    void postMessage(const QString &accountSid, const QByteArray &authToken,
                     const QList<std::pair<QString, QString>> &form, QObject *context,
                     std::function<void(Result<QJsonObject>)> done);

    // POST /2010-04-01/Accounts/{accountSid}/Calls.json: the created call (201), or the failure
    // as listIncomingNumbers reports it (a 504 leaves the outcome unknown: the call may exist).
    void createCall(const QString &accountSid, const QByteArray &authToken,
                    const TwilioCallRequest &call, QObject *context,
                    std::function<void(Result<TwilioCall>)> done);

private:
    void fetchMediaFrom(const QUrl &url, const QString &accountSid, const QByteArray &authToken,
                        qint64 maxBytes, int redirects,
                        std::function<void(Result<TwilioMedia>)> deliver);

    // On this object's thread: sends the request and hands the finished reply to `finished`.
    void get(const QString &accountSid, const QByteArray &authToken, const QString &resource,
             const QList<std::pair<QString, QString>> &query,
             std::function<void(QNetworkReply *)> finished);
    // The same for a form-encoded POST.
    void post(const QString &accountSid, const QByteArray &authToken, const QString &resource,
              const QList<std::pair<QString, QString>> &form,
              std::function<void(QNetworkReply *)> finished);
    // A request to Twilio's API with Basic auth, no redirects, no cookies, the timeout.
    [[nodiscard]] static QNetworkRequest authorisedRequest(const QUrl &url,
                                                           const QString &accountSid,
                                                           const QByteArray &authToken);
    // Caps the answer's size, logs a failure (`what`: "GET Foo.json"), hands the reply to
    // `finished` and deletes it afterwards.
    void watch(QNetworkReply *reply, const QString &what,
               std::function<void(QNetworkReply *)> finished);

    QString m_apiBase;
    QNetworkAccessManager *m_network;
};
