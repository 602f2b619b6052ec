// SPDX-License-Identifier: MIT
#pragma once
// Google as an OpenID Connect provider, for "Sign in with Google": builds the authorization URL
// (state + PKCE S256), exchanges an authorization code at the token endpoint, and verifies ID
// tokens (googleidtoken.h) against the cached JWKS. All network work is asynchronous through
// one QNetworkAccessManager owned by this object; call it on its thread (the main thread) and
// the answers come back there. The client secret is sent to the token endpoint only, never
// logged.

#include "auth/google/googleidtoken.h"
#include "auth/google/googlesettings.h"
#include "core/result.h"

#include <QObject>
#include <QUrl>

#include <functional>

class JwksCache;
class OidcDiscovery;
class QNetworkAccessManager;

class GoogleAuthClient : public QObject
{
    Q_OBJECT
public:
    using IdentityReply = std::function<void(Result<GoogleIdentity>)>;
    static constexpr int ClockSkewSecs = 60;

    explicit GoogleAuthClient(GoogleSettings settings, QObject *parent = nullptr);

    [[nodiscard]] const GoogleSettings &settings() const { return m_settings; }

    // Where to send the browser: the authorization endpoint with response_type=code, our client
    // id and redirect_uri, scope "openid email profile", `state` and the S256 `challenge`.
    void authorizationUrl(const QString &state, const QString &challenge,
                          std::function<void(Result<QUrl>)> done);

    // The code Google handed the browser, traded for tokens (with the PKCE verifier), and the
    // returned ID token verified.
    void exchangeCode(const QString &code, const QString &codeVerifier, IdentityReply done);

    // An ID token a client obtained itself (Google Identity Services), verified.
    void verifyIdToken(const QByteArray &idToken, IdentityReply done);

private:
    void verifyWith(const QString &issuer, const QString &jwksUri, const QByteArray &idToken,
                    IdentityReply done);

    GoogleSettings m_settings;
    QNetworkAccessManager *m_network;
    OidcDiscovery *m_discovery;
    JwksCache *m_keys;
};
