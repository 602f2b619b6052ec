// SPDX-License-Identifier: MIT
#include "twiliosignature.h"

#include "core/crypto.h"

#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace TwilioSignature {

QByteArray compute(const QByteArrayView authToken, const QString &url, const TwilioForm &form)
{
    // Sort by name (UTF-16 order equals byte order for the ASCII names Twilio uses), then by
    // value, and drop exact duplicates: a repeated name's values are de-duplicated and sorted.
    QList<TwilioForm::Item> items = form.items();
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    QByteArray data = url.toUtf8();
    for (const auto &[name, value] : items) {
        data += name.toUtf8();
        data += value.toUtf8();
    }
    return Crypto::hmacSha1(authToken, data).toBase64();
}

QStringList urlVariants(const QString &url)
{
    QStringList variants{url};
    QUrl parsed(url);
    const int defaultPort = parsed.scheme() == u"https"_s ? 443
                            : parsed.scheme() == u"http"_s ? 80
                                                           : -1;
    if (defaultPort < 0 || !parsed.isValid()) {
        return variants;
    }
    if (parsed.port() == -1) {
        parsed.setPort(defaultPort);
        variants.append(parsed.toString(QUrl::FullyEncoded));
    } else if (parsed.port() == defaultPort) {
        parsed.setPort(-1);
        variants.append(parsed.toString(QUrl::FullyEncoded));
    }
    return variants;
}

bool verify(const QByteArrayView authToken, const QString &url, const TwilioForm &form,
            const QByteArrayView header)
{
    if (header.isEmpty() || authToken.isEmpty()) {
        return false;
    }
    bool matched = false;
    // Every variant is checked, so the time taken does not tell which one matched.
    for (const QString &variant : urlVariants(url)) {
        matched |= Crypto::constantTimeEquals(compute(authToken, variant, form), header);
    }
    return matched;
}

bool verifyJsonBody(const QByteArrayView authToken, const QString &url, const QByteArray &rawBody,
                    const QByteArrayView header)
{
    const QString claimed = QUrlQuery(QUrl(url)).queryItemValue(u"bodySHA256"_s);
    if (claimed.isEmpty()) {
        return false;
    }
    const QByteArray actual = Crypto::sha256(rawBody).toHex();
    const bool bodyMatches = Crypto::constantTimeEquals(actual, claimed.toLatin1().toLower());
    return verify(authToken, url, TwilioForm(), header) && bodyMatches;
}

} // namespace TwilioSignature
