// SPDX-License-Identifier: MIT
#include "googlehttp.h"

#include "core/logging.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace GoogleHttp {

namespace {

constexpr const char *kTooLarge = "inboxGoogleTooLarge";

QNetworkRequest request(const QUrl &url)
{
    QNetworkRequest r(url);
    r.setTransferTimeout(TimeoutMs);
    r.setRawHeader("Accept"_ba, "application/json"_ba);
    r.setHeader(QNetworkRequest::UserAgentHeader, u"inbox-central"_s);
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    r.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    r.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    return r;
}

Result<GoogleAnswer> answerOf(QNetworkReply *reply, const QString &what)
{
    if (reply->property(kTooLarge).toBool()) {
        return unavailable(u"Google's answer for %1 was too large."_s.arg(what));
    }
    const QNetworkReply::NetworkError error = reply->error();
    if (error == QNetworkReply::TimeoutError || error == QNetworkReply::OperationCanceledError) {
        return ApiError {504,
                         u"google-unavailable"_s,
                         u"Google did not answer"_s,
                         u"Google did not answer for %1 in time."_s.arg(what),
                         {},
                         0};
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0) {
        return unavailable(u"Could not reach Google for %1: %2."_s.arg(what, reply->errorString()));
    }
    const QJsonDocument document = QJsonDocument::fromJson(reply->readAll());
    if (!document.isObject()) {
        return unavailable(u"Google answered HTTP %1 for %2 without a JSON object."_s.arg(
            QString::number(status), what));
    }
    return GoogleAnswer {status, document.object(), maxAge(reply->rawHeader("Cache-Control"_ba))};
}

void watch(QNetworkReply *reply, const QString &what,
           std::function<void(Result<GoogleAnswer>)> done)
{
    QObject::connect(reply, &QNetworkReply::downloadProgress, reply,
                     [reply](qint64 received, qint64) {
                         if (received > MaxAnswerBytes && !reply->property(kTooLarge).toBool()) {
                             reply->setProperty(kTooLarge, true);
                             reply->abort();
                         }
                     });
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, what, done = std::move(done)] {
        Result<GoogleAnswer> answer = answerOf(reply, what);
        if (!answer) {
            qCWarning(lcAuth).noquote() << "Google sign-in:" << answer.error().detail;
        }
        reply->deleteLater();
        done(std::move(answer));
    });
}

} // namespace

ApiError unavailable(const QString &detail)
{
    return ApiError {502, u"google-unavailable"_s, u"Google sign-in is unavailable"_s, detail, {},
                     0};
}

std::optional<int> maxAge(const QByteArray &cacheControl)
{
    std::optional<int> age;
    for (const QByteArray &part : cacheControl.split(',')) {
        const QByteArray directive = part.trimmed().toLower();
        if (directive == "no-store" || directive == "no-cache") {
            return 0;
        }
        if (directive.startsWith("max-age=")) {
            bool ok = false;
            const qint64 seconds = directive.mid(8).toLongLong(&ok);
            if (ok && seconds >= 0) {
                age = static_cast<int>(std::min<qint64>(seconds, 7 * 86400));
            }
        }
    }
    return age;
}

void getJson(QNetworkAccessManager *network, const QUrl &url, const QString &what,
             std::function<void(Result<GoogleAnswer>)> done)
{
    watch(network->get(request(url)), what, std::move(done));
}

void postForm(QNetworkAccessManager *network, const QUrl &url,
              const QList<std::pair<QString, QString>> &form, const QString &what,
              std::function<void(Result<GoogleAnswer>)> done)
{
    // Every value percent-encoded by hand: QUrlQuery would leave '+' and '&' ambiguous.
    QByteArray body;
    for (const auto &[key, value] : form) {
        if (!body.isEmpty()) {
            body += '&';
        }
        body += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    QNetworkRequest r = request(url);
    r.setHeader(QNetworkRequest::ContentTypeHeader, u"application/x-www-form-urlencoded"_s);
    watch(network->post(r, body), what, std::move(done));
}

} // namespace GoogleHttp
