// SPDX-License-Identifier: MIT
#include "twiliorestclient.h"

#include "channels/twilio/twiliomediaurl.h"
#include "core/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

// A page of 1000 numbers is about 1 MiB; anything far beyond that is not Twilio answering.
constexpr qint64 kMaxAnswerBytes = 4 * 1024 * 1024;
constexpr int kMaxPageSize = 1000; // Twilio's own limit
constexpr const char *kTooLargeProperty = "inboxAnswerTooLarge";

// " (20003: Authenticate)" from Twilio's error body {code, message, more_info, status}; empty
// when the body is not that.
QString twilioSays(const QByteArray &body)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object();
    const QString message = error.value(u"message"_s).toString().left(300);
    const QJsonValue code = error.value(u"code"_s);
    if (code.isDouble() && !message.isEmpty()) {
        return u" (%1: %2)"_s.arg(QString::number(code.toInteger()), message);
    }
    if (code.isDouble()) {
        return u" (code %1)"_s.arg(code.toInteger());
    }
    if (!message.isEmpty()) {
        return u" (%1)"_s.arg(message);
    }
    return {};
}

ApiError badGateway(const QString &type, const QString &title, const QString &detail)
{
    return ApiError{502, type, title, detail, {}, 0};
}

// The answer's JSON object when Twilio said yes, else the failure as the API reports it.
Result<QJsonObject> twilioAnswer(QNetworkReply *reply)
{
    const QNetworkReply::NetworkError error = reply->error();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();

    if (reply->property(kTooLargeProperty).toBool()) {
        return badGateway(u"twilio-bad-answer"_s, u"Unexpected answer from Twilio"_s,
                          u"Twilio's answer was larger than %1 bytes; it was not read."_s
                              .arg(kMaxAnswerBytes));
    }
    // setTransferTimeout() aborts the reply (OperationCanceledError): we abort nothing else.
    if (error == QNetworkReply::TimeoutError || error == QNetworkReply::OperationCanceledError) {
        return ApiError{504, u"twilio-timeout"_s, u"Twilio did not answer"_s,
                        u"Twilio did not answer within %1 seconds; try again later."_s.arg(
                            TwilioRestClient::TimeoutMs / 1000),
                        {}, 0};
    }
    if (status == 0) {
        return badGateway(u"twilio-unreachable"_s, u"Could not reach Twilio"_s,
                          u"Could not reach Twilio: %1."_s.arg(reply->errorString()));
    }
    const QByteArray body = reply->readAll();
    if (status == 401 || status == 403) {
        return badGateway(u"twilio-auth-failed"_s, u"Twilio rejected the credentials"_s,
                          u"Twilio rejected the credentials%1; check the account SID and auth "
                          "token."_s.arg(twilioSays(body)));
    }
    if (status < 200 || status > 299) {
        return badGateway(u"twilio-error"_s, u"Twilio refused the request"_s,
                          u"Twilio answered HTTP %1%2."_s.arg(QString::number(status),
                                                              twilioSays(body)));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return badGateway(u"twilio-bad-answer"_s, u"Unexpected answer from Twilio"_s,
                          u"Twilio answered HTTP %1 with something other than a JSON object."_s
                              .arg(status));
    }
    return document.object();
}

Result<QList<TwilioNumber>> numbersFrom(QNetworkReply *reply, int limit)
{
    Result<QJsonObject> answer = twilioAnswer(reply);
    if (!answer) {
        return answer.error();
    }
    const QJsonValue list = answer->value(u"incoming_phone_numbers"_s);
    if (!list.isArray()) {
        return badGateway(u"twilio-bad-answer"_s, u"Unexpected answer from Twilio"_s,
                          u"Twilio's answer has no incoming_phone_numbers list."_s);
    }
    QList<TwilioNumber> numbers;
    for (const QJsonValue &item : list.toArray()) {
        if (numbers.size() == limit) {
            break;
        }
        const QJsonObject number = item.toObject();
        numbers.append(TwilioNumber{number.value(u"sid"_s).toString(),
                                    number.value(u"phone_number"_s).toString(),
                                    number.value(u"friendly_name"_s).toString()});
    }
    return numbers;
}

} // namespace

TwilioRestClient::TwilioRestClient(QString apiBase, QObject *parent)
    : QObject(parent), m_apiBase(std::move(apiBase)), m_network(new QNetworkAccessManager(this))
{
    while (m_apiBase.endsWith(u'/')) {
        m_apiBase.chop(1);
    }
}

TwilioRestClient::~TwilioRestClient() = default;

void TwilioRestClient::listIncomingNumbers(const QString &accountSid, const QByteArray &authToken,
                                           int limit, QObject *context,
                                           std::function<void(Result<QList<TwilioNumber>>)> done)
{
    const int pageSize = std::clamp(limit, 1, kMaxPageSize);
    QPointer<QObject> guard(context);
    auto deliver = [guard, done = std::move(done)](Result<QList<TwilioNumber>> result) {
        if (!guard) {
            return;
        }
        QMetaObject::invokeMethod(guard.data(), [guard, done, result = std::move(result)] {
            if (guard) {
                done(result);
            }
        });
    };
    // Callers run on HTTP or database threads; the network manager lives on this object's.
    QMetaObject::invokeMethod(this, [this, accountSid, authToken, pageSize, deliver] {
        get(accountSid, authToken, u"IncomingPhoneNumbers.json"_s,
            {{u"PageSize"_s, QString::number(pageSize)}},
            [deliver, pageSize](QNetworkReply *reply) { deliver(numbersFrom(reply, pageSize)); });
    });
}

void TwilioRestClient::get(const QString &accountSid, const QByteArray &authToken,
                           const QString &resource,
                           const QList<std::pair<QString, QString>> &query,
                           std::function<void(QNetworkReply *)> finished)
{
    // The SID is percent-encoded so a malformed one (TWILIO_ACCOUNT_SID is not checked) cannot
    // change the path.
    QUrl url(m_apiBase + u"/2010-04-01/Accounts/"_s
                 + QString::fromLatin1(QUrl::toPercentEncoding(accountSid)) + u'/' + resource,
             QUrl::TolerantMode);
    QUrlQuery urlQuery;
    for (const auto &[key, value] : query) {
        urlQuery.addQueryItem(key, value);
    }
    url.setQuery(urlQuery);

    watch(m_network->get(authorisedRequest(url, accountSid, authToken)), u"GET "_s + resource,
          std::move(finished));
}

QNetworkRequest TwilioRestClient::authorisedRequest(const QUrl &url, const QString &accountSid,
                                                    const QByteArray &authToken)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(TimeoutMs);
    // Sent up front: Twilio does not need a challenge round trip for Basic auth.
    const QByteArray credentials = accountSid.toUtf8() + ':' + authToken;
    request.setRawHeader("Authorization"_ba, "Basic "_ba + credentials.toBase64());
    request.setRawHeader("Accept"_ba, "application/json"_ba);
    request.setHeader(QNetworkRequest::UserAgentHeader, u"inbox-central"_s);
    // No redirect may carry the credentials elsewhere, and no cookie crosses from one team's
    // account to another's.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    return request;
}

void TwilioRestClient::watch(QNetworkReply *reply, const QString &what,
                             std::function<void(QNetworkReply *)> finished)
{
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > kMaxAnswerBytes && !reply->property(kTooLargeProperty).toBool()) {
            reply->setProperty(kTooLargeProperty, true);
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this, [reply, what, finished = std::move(finished)] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status < 200 || status > 299) {
            qCWarning(lcTwilio).nospace().noquote()
                << what << " failed: HTTP " << status << ", " << reply->error();
        }
        finished(reply);
        reply->deleteLater();
    });
}

void TwilioRestClient::post(const QString &accountSid, const QByteArray &authToken,
                            const QString &resource,
                            const QList<std::pair<QString, QString>> &form,
                            std::function<void(QNetworkReply *)> finished)
{
    const QUrl url(m_apiBase + u"/2010-04-01/Accounts/"_s
                       + QString::fromLatin1(QUrl::toPercentEncoding(accountSid)) + u'/' + resource,
                   QUrl::TolerantMode);
    // Encoded by hand: QUrlQuery leaves '+' alone, which a form decoder reads as a space.
    QByteArray body;
    for (const auto &[key, value] : form) {
        if (!body.isEmpty()) {
            body += '&';
        }
        body += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    QNetworkRequest request = authorisedRequest(url, accountSid, authToken);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/x-www-form-urlencoded"_s);
    watch(m_network->post(request, body), u"POST "_s + resource, std::move(finished));
}

// --- Media of inbound messages and plain message creation (the media/OTP helper's section) ---

namespace {

constexpr const char *kMediaTooLargeProperty = "inboxMediaTooLarge";

// `done` wrapped so it runs on `context`'s thread, and not at all once `context` is gone.
template<typename T>
std::function<void(Result<T>)> onContextThread(QObject *context,
                                               std::function<void(Result<T>)> done)
{
    QPointer<QObject> guard(context);
    return [guard, done = std::move(done)](Result<T> result) {
        if (!guard) {
            return;
        }
        QMetaObject::invokeMethod(guard.data(), [guard, done, result = std::move(result)] {
            if (guard) {
                done(result);
            }
        });
    };
}

ApiError mediaError(int status, const QString &type, const QString &detail)
{
    return ApiError{status, type, u"Media could not be downloaded"_s, detail, {}, 0};
}

// A redirect target the media download may follow: https, or the API base's own scheme (a local
// fake speaks http); never user info.
bool redirectAllowed(const QUrl &target, const QUrl &apiBase)
{
    return target.isValid() && !target.host().isEmpty() && target.userInfo().isEmpty()
           && (target.scheme() == u"https"_s
               || (target.scheme() == u"http"_s && apiBase.scheme() == u"http"_s));
}

Result<TwilioMedia> mediaFrom(QNetworkReply *reply, qint64 maxBytes)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->property(kMediaTooLargeProperty).toBool()) {
        return mediaError(413, u"twilio-media-too-large"_s,
                          u"The media is larger than the %1 bytes left for this message."_s.arg(
                              maxBytes));
    }
    const QNetworkReply::NetworkError error = reply->error();
    if (error == QNetworkReply::TimeoutError || error == QNetworkReply::OperationCanceledError) {
        return mediaError(504, u"twilio-timeout"_s, u"The media download timed out."_s);
    }
    if (status == 0) {
        return mediaError(502, u"twilio-unreachable"_s,
                          u"Could not reach the media host: %1."_s.arg(reply->errorString()));
    }
    if (status == 404) {
        return mediaError(404, u"twilio-media-not-found"_s, u"Twilio answered 404 for the media."_s);
    }
    if (status == 401 || status == 403) {
        return mediaError(502, u"twilio-auth-failed"_s,
                          u"Twilio refused the credentials for the media (HTTP %1)."_s.arg(status));
    }
    if (status == 429 || status >= 500) {
        return mediaError(502, u"twilio-error"_s, u"Twilio answered HTTP %1 for the media."_s.arg(status));
    }
    if (status < 200 || status > 299) {
        return mediaError(502, u"twilio-media-refused"_s,
                          u"Twilio answered HTTP %1 for the media."_s.arg(status));
    }
    QByteArray bytes = reply->readAll();
    if (bytes.size() > maxBytes) {
        return mediaError(413, u"twilio-media-too-large"_s,
                          u"The media is larger than the %1 bytes left for this message."_s.arg(
                              maxBytes));
    }
    const QString contentType =
        QString::fromLatin1(reply->header(QNetworkRequest::ContentTypeHeader).toByteArray());
    return TwilioMedia{std::move(bytes), contentType};
}

} // namespace

void TwilioRestClient::fetchMedia(const QString &url, const QString &accountSid,
                                  const QByteArray &authToken, qint64 maxBytes, QObject *context,
                                  std::function<void(Result<TwilioMedia>)> done)
{
    auto deliver = onContextThread<TwilioMedia>(context, std::move(done));
    QMetaObject::invokeMethod(this, [this, url, accountSid, authToken, maxBytes, deliver] {
        fetchMediaFrom(QUrl(url, QUrl::StrictMode), accountSid, authToken, maxBytes, 0, deliver);
    });
}

void TwilioRestClient::fetchMediaFrom(const QUrl &url, const QString &accountSid,
                                      const QByteArray &authToken, qint64 maxBytes, int redirects,
                                      std::function<void(Result<TwilioMedia>)> deliver)
{
    const QUrl apiBase(m_apiBase, QUrl::StrictMode);
    QNetworkRequest request(url);
    request.setTransferTimeout(TimeoutMs);
    if (TwilioMediaUrl::sameOrigin(url, apiBase)) {
        const QByteArray credentials = accountSid.toUtf8() + ':' + authToken;
        request.setRawHeader("Authorization"_ba, "Basic "_ba + credentials.toBase64());
    }
    // Uncompressed: the size cap then counts what is kept, and no small body inflates past it.
    request.setRawHeader("Accept-Encoding"_ba, "identity"_ba);
    request.setHeader(QNetworkRequest::UserAgentHeader, u"inbox-central"_s);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);

    QNetworkReply *reply = m_network->get(request);
    const auto tooLarge = [reply, maxBytes](qint64 bytes) {
        if (bytes > maxBytes && !reply->property(kMediaTooLargeProperty).toBool()) {
            reply->setProperty(kMediaTooLargeProperty, true);
            reply->abort();
        }
    };
    // Content-Length says so before a byte of the body is read; the count catches a server that
    // sends more than it announced (or announces nothing).
    connect(reply, &QNetworkReply::metaDataChanged, reply, [reply, tooLarge] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (status >= 200 && status <= 299 && length.isValid()) {
            tooLarge(length.toLongLong());
        }
    });
    connect(reply, &QNetworkReply::downloadProgress, reply,
            [tooLarge](qint64 received, qint64) { tooLarge(received); });
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, apiBase, accountSid, authToken, maxBytes, redirects, deliver] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const bool redirect = status == 301 || status == 302 || status == 303 || status == 307
                              || status == 308;
        if (redirect && !reply->property(kMediaTooLargeProperty).toBool()) {
            const QUrl target = reply->url().resolved(
                QUrl::fromEncoded(reply->rawHeader("Location"_ba), QUrl::StrictMode));
            if (redirects >= MaxMediaRedirects || !redirectAllowed(target, apiBase)) {
                qCWarning(lcTwilio) << "media download: redirect not followed, HTTP" << status;
                return deliver(mediaError(502, u"twilio-media-refused"_s,
                                          u"Twilio redirected the media somewhere it may not go."_s));
            }
            return fetchMediaFrom(target, accountSid, authToken, maxBytes, redirects + 1, deliver);
        }
        Result<TwilioMedia> media = mediaFrom(reply, maxBytes);
        if (!media) {
            qCWarning(lcTwilio).nospace().noquote()
                << "media download failed: HTTP " << status << ", " << media.error().type;
        }
        deliver(std::move(media));
    });
}

void TwilioRestClient::postMessage(const QString &accountSid, const QByteArray &authToken,
                                   const QList<std::pair<QString, QString>> &form,
                                   QObject *context, std::function<void(Result<QJsonObject>)> done)
{
    auto deliver = onContextThread<QJsonObject>(context, std::move(done));
    QMetaObject::invokeMethod(this, [this, accountSid, authToken, form, deliver] {
        post(accountSid, authToken, u"Messages.json"_s, form, [deliver](QNetworkReply *reply) {
            deliver(twilioAnswer(reply));
        });
    });
}

// --- Outbound calls (the voice helper's section) ---

namespace {

Result<TwilioCall> callFrom(QNetworkReply *reply)
{
    Result<QJsonObject> answer = twilioAnswer(reply);
    if (!answer) {
        return answer.error();
    }
    const QString sid = answer->value(u"sid"_s).toString();
    if (sid.isEmpty()) {
        return badGateway(u"twilio-bad-answer"_s, u"Unexpected answer from Twilio"_s,
                          u"Twilio's answer names no call sid."_s);
    }
    return TwilioCall{sid, answer->value(u"status"_s).toString()};
}

} // namespace

void TwilioRestClient::createCall(const QString &accountSid, const QByteArray &authToken,
                                  const TwilioCallRequest &call, QObject *context,
                                  std::function<void(Result<TwilioCall>)> done)
{
    QList<std::pair<QString, QString>> form{{u"To"_s, call.to},
                                            {u"From"_s, call.from},
                                            {u"Url"_s, call.url},
                                            {u"StatusCallback"_s, call.statusCallback}};
    for (const QString &event : call.statusCallbackEvents) {
        form.append({u"StatusCallbackEvent"_s, event});
    }
    auto deliver = onContextThread<TwilioCall>(context, std::move(done));
    QMetaObject::invokeMethod(this, [this, accountSid, authToken, form, deliver] {
        post(accountSid, authToken, u"Calls.json"_s, form,
             [deliver](QNetworkReply *reply) { deliver(callFrom(reply)); });
    });
}
