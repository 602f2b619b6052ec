// SPDX-License-Identifier: MIT
#include "twiliorestclient.h"

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

    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > kMaxAnswerBytes && !reply->property(kTooLargeProperty).toBool()) {
            reply->setProperty(kTooLargeProperty, true);
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this,
            [reply, resource, finished = std::move(finished)] {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status < 200 || status > 299) {
            qCWarning(lcTwilio).nospace().noquote()
                << "GET " << resource << " failed: HTTP " << status << ", " << reply->error();
        }
        finished(reply);
        reply->deleteLater();
    });
}
