// SPDX-License-Identifier: MIT
#include "twiliowebhookgate.h"

#include "channels/twilio/twiliosignature.h"
#include "core/logging.h"

#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

ApiError forbidden()
{
    // One answer for every failure: which part was wrong is not the caller's business.
    return ApiError{403, u"invalid-signature"_s, u"Forbidden"_s,
                    u"The request is not signed by Twilio for a known inbox."_s, {}, 0};
}

WebhookKey keyOf(const TwilioForm &form, const QUrlQuery &query)
{
    WebhookKey key;
    key.messagingServiceSid = form.value(u"MessagingServiceSid");
    key.accountSid = form.value(u"AccountSid");
    // Our number is To on inbound messages and calls, From on status callbacks and outbound
    // calls. Voice also names it Called.
    for (const QStringView name : {u"To", u"From", u"Called"}) {
        const QString address = form.value(name);
        if (!address.isEmpty() && !key.addresses.contains(address)) {
            key.addresses.append(address);
        }
    }
    // Recording status callbacks name no number at all: the voice routes put ours in the
    // callback URL (?inboxAddress=…). Only a lookup hint: the signature still decides.
    if (key.addresses.isEmpty()) {
        const QString hinted = query.queryItemValue(u"inboxAddress"_s, QUrl::FullyDecoded);
        if (!hinted.isEmpty()) {
            key.addresses.append(hinted);
        }
    }
    return key;
}

Result<VerifiedWebhook> check(const QList<InboxRoute> &routes, const QString &url,
                              const HttpRequest &request, TwilioForm form)
{
    const QByteArray signature = request.header("x-twilio-signature");
    const bool jsonBody = request.query.hasQueryItem(u"bodySHA256"_s);
    for (const InboxRoute &route : routes) {
        const bool valid = jsonBody ? TwilioSignature::verifyJsonBody(route.authToken, url,
                                                                      request.body, signature)
                                    : TwilioSignature::verify(route.authToken, url, form, signature);
        if (valid) {
            return VerifiedWebhook{route, std::move(form)};
        }
    }
    qCInfo(lcTwilio) << "rejected a webhook to" << request.path << "from" << request.clientIp()
                     << (routes.isEmpty() ? "(no inbox matches)" : "(bad signature)");
    return forbidden();
}

} // namespace

TwilioWebhookGate::TwilioWebhookGate(InboxDirectory *directory, QString publicUrl,
                                     QObject *parent)
    : QObject(parent), m_directory(directory), m_publicUrl(std::move(publicUrl))
{
    while (m_publicUrl.endsWith(u'/')) {
        m_publicUrl.chop(1);
    }
}

QString TwilioWebhookGate::signedUrl(const HttpRequest &request) const
{
    QString url = m_publicUrl + QString::fromUtf8(QUrl::toPercentEncoding(request.path, "/"));
    const QString query = request.query.toString(QUrl::FullyEncoded);
    if (!query.isEmpty()) {
        url += u'?' + query;
    }
    return url;
}

void TwilioWebhookGate::verify(const RequestPtr &request,
                               std::function<void(Result<VerifiedWebhook>)> done) const
{
    if (request->header("x-twilio-signature").isEmpty()) {
        qCInfo(lcTwilio) << "rejected an unsigned webhook to" << request->path << "from"
                         << request->clientIp();
        return done(forbidden());
    }
    TwilioForm form = TwilioForm::parse(request->body);
    const WebhookKey key = keyOf(form, request->query);
    if (key.messagingServiceSid.isEmpty() && key.accountSid.isEmpty()) {
        return done(forbidden());
    }
    const QString url = signedUrl(*request);
    if (std::optional<QList<InboxRoute>> routes = m_directory->cached(key)) {
        return done(check(*routes, url, *request, std::move(form)));
    }
    m_directory->load(key, [request, url, form = std::move(form), done = std::move(done)](
                               Result<QList<InboxRoute>> routes) mutable {
        if (!routes) {
            return done(routes.error());
        }
        done(check(routes.value(), url, *request, std::move(form)));
    });
}
