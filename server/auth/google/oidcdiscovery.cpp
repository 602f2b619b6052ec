// SPDX-License-Identifier: MIT
#include "oidcdiscovery.h"

#include "auth/google/googlehttp.h"

#include <QDateTime>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

bool isHttpUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == u"https"_s || url.scheme() == u"http"_s)
        && !url.host().isEmpty();
}

} // namespace

OidcDiscovery::OidcDiscovery(QNetworkAccessManager *network, QString discoveryUrl, QObject *parent)
    : QObject(parent), m_network(network), m_url(std::move(discoveryUrl))
{
}

void OidcDiscovery::endpoints(Reply done)
{
    if (m_endpoints && QDateTime::currentMSecsSinceEpoch() < m_expiresAtMs) {
        return done(*m_endpoints);
    }
    m_waiting.append(std::move(done));
    if (m_fetching) {
        return;
    }
    m_fetching = true;
    GoogleHttp::getJson(
        m_network, QUrl(m_url), u"the OpenID configuration"_s,
        [this](Result<GoogleAnswer> fetched) {
            m_fetching = false;
            Result<OidcEndpoints> result = [&]() -> Result<OidcEndpoints> {
                if (!fetched) {
                    return fetched.error();
                }
                if (fetched->status != 200) {
                    return GoogleHttp::unavailable(
                        u"Google's OpenID configuration answered HTTP %1."_s.arg(fetched->status));
                }
                const QJsonObject &doc = fetched->body;
                OidcEndpoints e {doc.value(u"issuer"_s).toString(),
                                 doc.value(u"authorization_endpoint"_s).toString(),
                                 doc.value(u"token_endpoint"_s).toString(),
                                 doc.value(u"jwks_uri"_s).toString()};
                if (e.issuer.isEmpty() || !isHttpUrl(e.authorizationEndpoint)
                    || !isHttpUrl(e.tokenEndpoint) || !isHttpUrl(e.jwksUri)) {
                    return GoogleHttp::unavailable(
                        u"Google's OpenID configuration lacks an issuer or an endpoint."_s);
                }
                return e;
            }();
            if (result) {
                m_endpoints = result.value();
                m_expiresAtMs = QDateTime::currentMSecsSinceEpoch()
                    + qint64(fetched->maxAgeSecs.value_or(DefaultMaxAgeSecs)) * 1000;
            } else if (m_endpoints) {
                result = *m_endpoints; // keep using the last good document while Google hiccups
            }
            for (const Reply &reply : std::exchange(m_waiting, {})) {
                reply(result);
            }
        });
}
