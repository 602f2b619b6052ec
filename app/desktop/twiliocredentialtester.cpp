// SPDX-License-Identifier: MIT
#include "twiliocredentialtester.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

TwilioCredentialTester::TwilioCredentialTester(QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this))
{
}

void TwilioCredentialTester::test(const QString &apiBase, const QString &accountSid,
                                  const QString &authToken, std::function<void(bool, QString)> done)
{
    static const QRegularExpression sidShape(u"^AC[0-9a-fA-F]{32}$"_s);
    if (!sidShape.match(accountSid.trimmed()).hasMatch()) {
        return done(false, tr("The account SID is AC followed by 32 hexadecimal digits."));
    }
    if (authToken.trimmed().isEmpty()) {
        return done(false, tr("Enter the auth token to test it (a stored token is never shown)."));
    }
    QString base = apiBase.trimmed().isEmpty() ? u"https://api.twilio.com"_s : apiBase.trimmed();
    while (base.endsWith(u'/')) {
        base.chop(1);
    }
    QNetworkRequest request(QUrl(base + u"/2010-04-01/Accounts/"_s + accountSid.trimmed() + u".json"_s));
    request.setRawHeader("Authorization",
                         "Basic " + (accountSid.trimmed() + u':' + authToken.trimmed()).toUtf8().toBase64());
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(TimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        if (status == 200) {
            const QString name = body.value(u"friendly_name"_s).toString();
            const QString state = body.value(u"status"_s).toString();
            return done(true, tr("Twilio accepted the credentials: account \"%1\" (%2).").arg(name, state));
        }
        if (status == 401 || status == 403) {
            return done(false, tr("Twilio refused these credentials (HTTP %1).").arg(status));
        }
        if (status == 404) {
            return done(false, tr("Twilio knows no such account (HTTP 404)."));
        }
        if (status == 0) {
            return done(false, tr("Twilio could not be reached: %1").arg(reply->errorString()));
        }
        const QString message = body.value(u"message"_s).toString();
        return done(false, tr("Twilio answered HTTP %1: %2").arg(status).arg(message));
    });
}
