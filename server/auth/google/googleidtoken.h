// SPDX-License-Identifier: MIT
#pragma once
// Checks a Google ID token (an RS256-signed JWT) the way Google's "Authenticate with a backend
// server" guide says: the signature against one of Google's JWKS keys (by `kid`), `iss`, `aud`
// equal to our client id, `exp` and `iat` with a small clock skew, `email_verified`, and, when
// configured, the hosted domain `hd`. Pure functions: the key lookup (network) is the caller's.

#include "auth/google/rsapublickey.h"
#include "core/result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>

// Who Google says signed in.
struct GoogleIdentity
{
    QString subject; // `sub`: Google's stable account id
    QString email; // lower-cased
    QString name;
    QString picture;
    QString hostedDomain; // `hd`: the Workspace domain; empty for consumer accounts
};

// A token split and decoded, before its signature is checked.
struct UnverifiedIdToken
{
    QString keyId; // the header's `kid`
    QByteArray signingInput; // "<header>.<claims>" as received
    QByteArray signature;
    QJsonObject claims;
};

struct IdTokenRules
{
    QStringList issuers; // accepted `iss` values
    QString audience; // our client id
    QStringList allowedDomains; // accepted `hd` values (lower case); empty: any account
    qint64 nowSecs = 0;
    int skewSecs = 60;
};

namespace GoogleIdToken {

// Tokens larger than this are refused before decoding.
constexpr qsizetype MaxBytes = 16 * 1024;

// Splits and decodes; refuses anything but alg RS256 with a kid (401 google-invalid-token).
[[nodiscard]] Result<UnverifiedIdToken> parse(QByteArrayView token);

// Checks the signature with `key` and the claims against `rules`. 401 google-invalid-token for a
// bad signature, issuer, audience or time; 403 google-email-unverified, google-domain-not-allowed.
[[nodiscard]] Result<GoogleIdentity> verify(const UnverifiedIdToken &token, const RsaPublicKey &key,
                                            const IdTokenRules &rules);

// The 401 every unusable token gets; `detail` says why (never echoes the token).
[[nodiscard]] ApiError invalid(const QString &detail);

} // namespace GoogleIdToken
