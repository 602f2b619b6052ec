// SPDX-License-Identifier: MIT
#include "googleredirects.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace GoogleRedirects {

namespace {

QString withoutTrailingSlash(QString url)
{
    while (url.endsWith(u'/')) {
        url.chop(1);
    }
    return url;
}

QByteArray encoded(const QString &text)
{
    return QUrl::toPercentEncoding(text);
}

} // namespace

QString frontend(const Config &config)
{
    for (const QString &origin : config.corsOrigins) {
        if (origin != u"*"_s && !origin.isEmpty()) {
            return withoutTrailingSlash(origin);
        }
    }
    return withoutTrailingSlash(config.publicUrl);
}

bool isAllowed(const Config &config, const QString &redirect)
{
    if (redirect.size() > 2000) {
        return false;
    }
    const QUrl url(redirect, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasFragment()) {
        return false;
    }
    const QString scheme = url.scheme();
    if (scheme != u"http"_s && scheme != u"https"_s) {
        return false;
    }
    const QString host = url.host().toLower();
    if (scheme == u"http"_s
        && (host == u"127.0.0.1"_s || host == u"localhost"_s || host == u"::1"_s)) {
        return url.port() > 0; // a loopback listener always names its (ephemeral) port
    }
    const QString origin
        = url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery).toString(QUrl::FullyEncoded).toLower();
    for (const QString &allowed : config.corsOrigins) {
        if (allowed != u"*"_s && withoutTrailingSlash(allowed).toLower() == origin) {
            return true;
        }
    }
    return false;
}

QByteArray loginError(const Config &config, const QString &code)
{
    return (frontend(config) + u"/login?error="_s).toUtf8() + encoded(code);
}

QByteArray afterCallback(const Config &config, const GoogleCallbackOutcome &outcome)
{
    const bool v1 = outcome.flow == GoogleFlow::V1;
    if (outcome.error || !outcome.session) {
        const QString code = outcome.error ? outcome.error->type : u"internal-error"_s;
        if (v1 && !outcome.redirectTo.isEmpty()) {
            return outcome.redirectTo.toUtf8() + "#error=" + encoded(code);
        }
        return loginError(config, code);
    }
    const Session &session = *outcome.session;
    if (!v1) {
        return (frontend(config) + u"/auth?token="_s).toUtf8()
            + encoded(QString::fromLatin1(session.accessToken));
    }
    const QString target
        = outcome.redirectTo.isEmpty() ? frontend(config) + u"/auth"_s : outcome.redirectTo;
    return target.toUtf8() + "#token=" + encoded(QString::fromLatin1(session.accessToken))
        + "&refreshToken=" + encoded(session.refreshToken)
        + "&expiresIn=" + QByteArray::number(session.accessTokenTtl) + "&tokenType=Bearer"
        + (session.created ? "&created=1" : "");
}

} // namespace GoogleRedirects
