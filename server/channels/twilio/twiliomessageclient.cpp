// SPDX-License-Identifier: MIT
#include "twiliomessageclient.h"

#include "core/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMaxAnswerBytes = 4 * 1024 * 1024;

// Answers on `context`'s thread, and not at all once it is gone.
template<typename T>
std::function<void(T)> onContext(QObject *context, std::function<void(T)> done)
{
    QPointer<QObject> guard(context);
    return [guard, done = std::move(done)](T value) {
        if (!guard) {
            return;
        }
        QMetaObject::invokeMethod(guard.data(), [guard, done, value = std::move(value)]() mutable {
            if (guard) {
                done(std::move(value));
            }
        });
    };
}

QByteArray formEncode(const QList<std::pair<QString, QString>> &fields)
{
    QByteArray body;
    for (const auto &[name, value] : fields) {
        if (!body.isEmpty()) {
            body += '&';
        }
        body += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return body;
}

TwilioSendOutcome classify(QNetworkReply *reply)
{
    TwilioSendOutcome outcome;
    outcome.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = reply->error();
    if (outcome.httpStatus == 0) {
        // No HTTP answer. Refused or unresolvable: the request never reached Twilio. Anything
        // else (timeout, reset mid-way) may have reached it.
        const bool neverSent = error == QNetworkReply::ConnectionRefusedError
                               || error == QNetworkReply::HostNotFoundError;
        outcome.kind = neverSent ? TwilioSendOutcome::Kind::Transient
                                 : TwilioSendOutcome::Kind::Unknown;
        outcome.message = error == QNetworkReply::OperationCanceledError
                              ? u"Twilio did not answer in time"_s
                              : u"Could not reach Twilio: "_s + reply->errorString();
        return outcome;
    }
    const QByteArray body = reply->read(kMaxAnswerBytes);
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    if (outcome.httpStatus >= 200 && outcome.httpStatus <= 299) {
        outcome.sid = json.value(u"sid"_s).toString();
        if (outcome.sid.isEmpty()) {
            outcome.kind = TwilioSendOutcome::Kind::Unknown;
            outcome.message = u"Twilio's answer has no message sid"_s;
            return outcome;
        }
        outcome.kind = TwilioSendOutcome::Kind::Accepted;
        outcome.status = json.value(u"status"_s).toString();
        outcome.resource = json;
        return outcome;
    }
    outcome.code = json.value(u"code"_s).toInt();
    outcome.message = json.value(u"message"_s).toString().left(500);
    if (outcome.message.isEmpty()) {
        outcome.message = u"Twilio answered HTTP %1"_s.arg(outcome.httpStatus);
    }
    if (outcome.httpStatus == 429) {
        outcome.kind = TwilioSendOutcome::Kind::Transient; // never processed (20429)
    } else if (outcome.httpStatus >= 500) {
        outcome.kind = TwilioSendOutcome::Kind::Unknown; // a create may have gone through
    } else {
        outcome.kind = TwilioSendOutcome::Kind::Rejected;
    }
    return outcome;
}

} // namespace

QString TwilioSendOutcome::errorText() const
{
    if (code != 0) {
        return u"%1: %2"_s.arg(code).arg(message);
    }
    return message;
}

TwilioMessageClient::TwilioMessageClient(QString apiBase, QObject *parent)
    : QObject(parent), m_apiBase(std::move(apiBase)), m_network(new QNetworkAccessManager(this))
{
    while (m_apiBase.endsWith(u'/')) {
        m_apiBase.chop(1);
    }
}

TwilioMessageClient::~TwilioMessageClient() = default;

QNetworkReply *TwilioMessageClient::request(const TwilioAccount &account, const QByteArray &method,
                                            const QString &resource, const QByteArray &form,
                                            const QString &query)
{
    QUrl url(m_apiBase + u"/2010-04-01/Accounts/"_s
                 + QString::fromLatin1(QUrl::toPercentEncoding(account.accountSid)) + u'/'
                 + resource,
             QUrl::TolerantMode);
    if (!query.isEmpty()) {
        url.setQuery(query, QUrl::StrictMode);
    }
    QNetworkRequest request(url);
    request.setTransferTimeout(TimeoutMs);
    const QByteArray credentials = account.accountSid.toUtf8() + ':' + account.authToken;
    request.setRawHeader("Authorization"_ba, "Basic "_ba + credentials.toBase64());
    request.setRawHeader("Accept"_ba, "application/json"_ba);
    request.setHeader(QNetworkRequest::UserAgentHeader, u"inbox-central"_s);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    if (method == "POST") {
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          u"application/x-www-form-urlencoded"_s);
        return m_network->post(request, form);
    }
    return m_network->get(request);
}

void TwilioMessageClient::send(const TwilioAccount &account, const OutboundTwilioMessage &message,
                               QObject *context, std::function<void(TwilioSendOutcome)> done)
{
    QList<std::pair<QString, QString>> fields{{u"To"_s, message.to}};
    if (!message.messagingServiceSid.isEmpty()) {
        fields.append({u"MessagingServiceSid"_s, message.messagingServiceSid});
    } else {
        fields.append({u"From"_s, message.from});
    }
    if (!message.body.isEmpty()) {
        fields.append({u"Body"_s, message.body});
    }
    for (const QString &media : message.mediaUrls) {
        fields.append({u"MediaUrl"_s, media});
    }
    if (!message.statusCallback.isEmpty()) {
        fields.append({u"StatusCallback"_s, message.statusCallback});
    }
    const QByteArray form = formEncode(fields);
    auto deliver = onContext<TwilioSendOutcome>(context, std::move(done));
    QMetaObject::invokeMethod(this, [this, account, form, deliver] {
        QNetworkReply *reply = request(account, "POST", u"Messages.json"_s, form);
        connect(reply, &QNetworkReply::finished, this, [reply, deliver] {
            TwilioSendOutcome outcome = classify(reply);
            if (outcome.kind != TwilioSendOutcome::Kind::Accepted) {
                qCWarning(lcTwilio).noquote() << "sending a message failed:" << outcome.errorText();
            }
            deliver(std::move(outcome));
            reply->deleteLater();
        });
    });
}

void TwilioMessageClient::listSent(const TwilioAccount &account, const QString &to,
                                   const QString &from, const QDateTime &since, QObject *context,
                                   std::function<void(Result<QList<TwilioListedMessage>>)> done)
{
    // "DateSent>=" is Twilio's "on or after that day" filter; the name carries the operator.
    const QString queryText = u"To="_s + QString::fromLatin1(QUrl::toPercentEncoding(to))
                              + u"&From="_s + QString::fromLatin1(QUrl::toPercentEncoding(from))
                              + u"&DateSent%3E="_s + since.toUTC().date().toString(Qt::ISODate)
                              + u"&PageSize=100"_s;
    auto deliver = onContext<Result<QList<TwilioListedMessage>>>(context, std::move(done));
    QMetaObject::invokeMethod(this, [this, account, queryText, deliver] {
        QNetworkReply *reply = request(account, "GET", u"Messages.json"_s, {}, queryText);
        connect(reply, &QNetworkReply::finished, this, [reply, deliver] {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status != 200) {
                deliver(ApiError{502, u"twilio-error"_s, u"Twilio refused the request"_s,
                                 u"Listing sent messages failed: HTTP %1"_s.arg(status), {}, 0});
                reply->deleteLater();
                return;
            }
            QList<TwilioListedMessage> listed;
            const QJsonObject page = QJsonDocument::fromJson(reply->read(kMaxAnswerBytes)).object();
            for (const QJsonValue &item : page.value(u"messages"_s).toArray()) {
                const QJsonObject m = item.toObject();
                listed.append({m.value(u"sid"_s).toString(), m.value(u"to"_s).toString(),
                               m.value(u"from"_s).toString(), m.value(u"body"_s).toString(),
                               m.value(u"status"_s).toString(), {}});
            }
            deliver(listed);
            reply->deleteLater();
        });
    });
}
