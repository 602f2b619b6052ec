// SPDX-License-Identifier: MIT
#include "twiliomediaurl.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace TwilioMediaUrl {

namespace {

int portOf(const QUrl &url)
{
    return url.port(url.scheme() == u"https"_s ? 443 : 80);
}

} // namespace

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.isValid() && b.isValid() && !a.host().isEmpty()
           && a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0
           && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && portOf(a) == portOf(b);
}

bool isMediaUrl(const QString &text, const QString &apiBase, const QString &accountSid)
{
    static const QRegularExpression pattern(
        u"^/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Messages/(?:SM|MM)[0-9a-fA-F]{32}"
        "/Media/ME[0-9a-fA-F]{32}$"_s);
    const QUrl url(text, QUrl::StrictMode);
    const QUrl base(apiBase, QUrl::StrictMode);
    if (!url.isValid() || !base.isValid() || !sameOrigin(url, base) || !url.userInfo().isEmpty()
        || url.hasQuery() || url.hasFragment()
        || (url.scheme() != u"https"_s && url.scheme() != u"http"_s)) {
        return false;
    }
    // The encoded path: "%2F" or "%2E%2E" can never pass for a slash or a dot here.
    QString basePath = base.path(QUrl::FullyEncoded);
    while (basePath.endsWith(u'/')) {
        basePath.chop(1);
    }
    const QString path = url.path(QUrl::FullyEncoded);
    if (!path.startsWith(basePath)) {
        return false;
    }
    const QRegularExpressionMatch match = pattern.match(path.mid(basePath.size()));
    return match.hasMatch() && !accountSid.isEmpty() && match.captured(1) == accountSid;
}

} // namespace TwilioMediaUrl
