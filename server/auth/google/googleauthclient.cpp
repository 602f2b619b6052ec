// SPDX-License-Identifier: MIT
#include "googleauthclient.h"

#include "auth/google/googlehttp.h"
#include "auth/google/jwkscache.h"
#include "auth/google/oidcdiscovery.h"
#include "core/logging.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

GoogleAuthClient::GoogleAuthClient(GoogleSettings settings, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_network(new QNetworkAccessManager(this)),
      m_discovery(new OidcDiscovery(m_network, m_settings.discoveryUrl, this)),
      m_keys(new JwksCache(m_network, this))
{
}

void GoogleAuthClient::authorizationUrl(const QString &state, const QString &challenge,
                                        std::function<void(Result<QUrl>)> done)
{
    m_discovery->endpoints([this, state, challenge, done](Result<OidcEndpoints> endpoints) {
        if (!endpoints) {
            return done(endpoints.error());
        }
        QUrl url(endpoints->authorizationEndpoint);
        QUrlQuery query(url);
        query.addQueryItem(u"response_type"_s, u"code"_s);
        query.addQueryItem(u"client_id"_s, m_settings.clientId);
        query.addQueryItem(u"redirect_uri"_s, m_settings.callbackUrl);
        query.addQueryItem(u"scope"_s, u"openid email profile"_s);
        query.addQueryItem(u"state"_s, state);
        query.addQueryItem(u"code_challenge"_s, challenge);
        query.addQueryItem(u"code_challenge_method"_s, u"S256"_s);
        query.addQueryItem(u"prompt"_s, u"select_account"_s);
        if (m_settings.allowedDomains.size() == 1) {
            query.addQueryItem(u"hd"_s, m_settings.allowedDomains.first()); // a hint only
        }
        url.setQuery(query);
        done(url);
    });
}

void GoogleAuthClient::exchangeCode(const QString &code, const QString &codeVerifier,
                                    IdentityReply done)
{
    m_discovery->endpoints([this, code, codeVerifier, done](Result<OidcEndpoints> endpoints) {
        if (!endpoints) {
            return done(endpoints.error());
        }
        const OidcEndpoints e = endpoints.value();
        GoogleHttp::postForm(
            m_network, QUrl(e.tokenEndpoint),
            {{u"grant_type"_s, u"authorization_code"_s},
             {u"code"_s, code},
             {u"client_id"_s, m_settings.clientId},
             {u"client_secret"_s, QString::fromUtf8(m_settings.clientSecret)},
             {u"redirect_uri"_s, m_settings.callbackUrl},
             {u"code_verifier"_s, codeVerifier}},
            u"the token exchange"_s, [this, e, done](Result<GoogleAnswer> answer) {
                if (!answer) {
                    return done(answer.error());
                }
                if (answer->status != 200) {
                    // Google's {error, error_description}: safe to log, it holds no secret.
                    const QString error = answer->body.value(u"error"_s).toString().left(100);
                    qCWarning(lcAuth).noquote() << "Google sign-in: the token endpoint refused the "
                                                   "code: HTTP"
                                                << answer->status << error;
                    return done(ApiError {
                        401,
                        u"google-code-rejected"_s,
                        u"Google refused the sign-in"_s,
                        u"Google's token endpoint refused the authorization code (%1)."_s.arg(
                            error.isEmpty() ? QString::number(answer->status) : error),
                        {},
                        0});
                }
                const QByteArray idToken = answer->body.value(u"id_token"_s).toString().toLatin1();
                if (idToken.isEmpty()) {
                    return done(
                        GoogleIdToken::invalid(u"Google's token endpoint sent no ID token."_s));
                }
                verifyWith(e.issuer, e.jwksUri, idToken, done);
            });
    });
}

void GoogleAuthClient::verifyIdToken(const QByteArray &idToken, IdentityReply done)
{
    // Refuse garbage before touching the network.
    if (Result<UnverifiedIdToken> parsed = GoogleIdToken::parse(idToken); !parsed) {
        return done(parsed.error());
    }
    m_discovery->endpoints([this, idToken, done](Result<OidcEndpoints> endpoints) {
        if (!endpoints) {
            return done(endpoints.error());
        }
        verifyWith(endpoints->issuer, endpoints->jwksUri, idToken, done);
    });
}

void GoogleAuthClient::verifyWith(const QString &issuer, const QString &jwksUri,
                                  const QByteArray &idToken, IdentityReply done)
{
    Result<UnverifiedIdToken> parsed = GoogleIdToken::parse(idToken);
    if (!parsed) {
        return done(parsed.error());
    }
    IdTokenRules rules;
    // Google documents both spellings; the discovery document's issuer covers a fake in tests.
    rules.issuers = QStringList {u"accounts.google.com"_s, u"https://accounts.google.com"_s};
    if (!rules.issuers.contains(issuer)) {
        rules.issuers.append(issuer);
    }
    rules.audience = m_settings.clientId;
    rules.allowedDomains = m_settings.allowedDomains;
    rules.skewSecs = ClockSkewSecs;
    m_keys->key(jwksUri, parsed->keyId,
                [token = parsed.value(), rules, done](Result<JwksCache::Key> key) mutable {
                    if (!key) {
                        return done(key.error());
                    }
                    rules.nowSecs = QDateTime::currentSecsSinceEpoch();
                    done(GoogleIdToken::verify(token, *key.value(), rules));
                });
}
