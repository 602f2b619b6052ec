// SPDX-License-Identifier: MIT
#include "googleidtoken.h"

#include "core/crypto.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace GoogleIdToken {

namespace {

std::optional<QJsonObject> jsonPart(QByteArrayView part)
{
    const std::optional<QByteArray> bytes = Crypto::base64UrlDecode(part);
    if (!bytes) {
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return std::nullopt;
    }
    return document.object();
}

// NumericDate (RFC 7519 §2): a JSON number of seconds; nullopt when missing or not a number.
std::optional<qint64> numericDate(const QJsonObject &claims, const QString &name)
{
    const QJsonValue value = claims.value(name);
    if (!value.isDouble()) {
        return std::nullopt;
    }
    return static_cast<qint64>(value.toDouble());
}

// Google sends email_verified as a boolean; older tokens had the string "true".
bool isTrue(const QJsonValue &value)
{
    return value.isBool() ? value.toBool() : value.toString() == u"true"_s;
}

bool audienceMatches(const QJsonValue &aud, const QString &clientId)
{
    if (aud.isString()) {
        return aud.toString() == clientId;
    }
    if (aud.isArray()) {
        const QJsonArray list = aud.toArray();
        return !list.isEmpty() && list.contains(QJsonValue(clientId));
    }
    return false;
}

} // namespace

ApiError invalid(const QString &detail)
{
    return ApiError {401, u"google-invalid-token"_s, u"Invalid Google ID token"_s, detail, {}, 0};
}

Result<UnverifiedIdToken> parse(QByteArrayView token)
{
    if (token.isEmpty() || token.size() > MaxBytes) {
        return invalid(u"The ID token is empty or too large."_s);
    }
    const QByteArray text = token.toByteArray();
    const QList<QByteArray> parts = text.split('.');
    if (parts.size() != 3) {
        return invalid(u"The ID token is not a signed JWT (three dot-separated parts)."_s);
    }
    const std::optional<QJsonObject> header = jsonPart(parts[0]);
    const std::optional<QJsonObject> claims = jsonPart(parts[1]);
    const std::optional<QByteArray> signature = Crypto::base64UrlDecode(parts[2]);
    if (!header || !claims || !signature) {
        return invalid(u"The ID token is not valid base64url JSON."_s);
    }
    // The algorithm is pinned: never taken from the token beyond refusing anything else.
    if (header->value(u"alg"_s).toString() != u"RS256"_s) {
        return invalid(u"The ID token is not signed with RS256."_s);
    }
    const QString kid = header->value(u"kid"_s).toString();
    if (kid.isEmpty() || kid.size() > 200) {
        return invalid(u"The ID token names no signing key (kid)."_s);
    }
    return UnverifiedIdToken {kid, parts[0] + '.' + parts[1], *signature, *claims};
}

Result<GoogleIdentity> verify(const UnverifiedIdToken &token, const RsaPublicKey &key,
                              const IdTokenRules &rules)
{
    if (!key.verifyRs256(token.signingInput, token.signature)) {
        return invalid(u"The ID token's signature does not verify."_s);
    }
    const QJsonObject &claims = token.claims;
    if (!rules.issuers.contains(claims.value(u"iss"_s).toString())) {
        return invalid(u"The ID token was not issued by Google."_s);
    }
    if (rules.audience.isEmpty() || !audienceMatches(claims.value(u"aud"_s), rules.audience)) {
        return invalid(u"The ID token was issued to another application (aud)."_s);
    }
    const std::optional<qint64> exp = numericDate(claims, u"exp"_s);
    const std::optional<qint64> iat = numericDate(claims, u"iat"_s);
    if (!exp || !iat) {
        return invalid(u"The ID token has no exp or iat."_s);
    }
    if (*exp + rules.skewSecs <= rules.nowSecs) {
        return invalid(u"The ID token has expired."_s);
    }
    if (*iat - rules.skewSecs > rules.nowSecs) {
        return invalid(u"The ID token was issued in the future (check the clock)."_s);
    }
    GoogleIdentity identity;
    identity.subject = claims.value(u"sub"_s).toString();
    identity.email = claims.value(u"email"_s).toString().trimmed().toLower();
    identity.name = claims.value(u"name"_s).toString().left(200);
    identity.picture = claims.value(u"picture"_s).toString().left(2000);
    identity.hostedDomain = claims.value(u"hd"_s).toString().toLower();
    if (identity.subject.isEmpty() || identity.subject.size() > 255) {
        return invalid(u"The ID token has no subject."_s);
    }
    if (identity.email.isEmpty() || !identity.email.contains(u'@')) {
        return ApiError {403,
                         u"google-email-unverified"_s,
                         u"Email address not verified"_s,
                         u"The Google account has no email address (request the email scope)."_s,
                         {},
                         0};
    }
    if (!isTrue(claims.value(u"email_verified"_s))) {
        return ApiError {403,
                         u"google-email-unverified"_s,
                         u"Email address not verified"_s,
                         u"Google has not verified this account's email address."_s,
                         {},
                         0};
    }
    if (!rules.allowedDomains.isEmpty() && !rules.allowedDomains.contains(identity.hostedDomain)) {
        return ApiError {403,
                         u"google-domain-not-allowed"_s,
                         u"Domain not allowed"_s,
                         u"Sign-in with Google is limited to accounts of: %1."_s.arg(
                             rules.allowedDomains.join(u", "_s)),
                         {},
                         0};
    }
    return identity;
}

} // namespace GoogleIdToken
