// SPDX-License-Identifier: MIT
#include "jwt.h"

#include "core/crypto.h"
#include "core/logging.h"

#include <QJsonDocument>
#include <QJsonValue>

#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

// Fixed bytes rather than serialised JSON: the header never varies, and jsonwebtoken writes
// exactly this.
constexpr QByteArrayView kHeader(R"({"alg":"HS256","typ":"JWT"})");

ApiError malformed()
{
    return ApiError::unauthorized(u"Malformed token"_s);
}

std::optional<QJsonObject> decodeJsonObject(QByteArrayView part)
{
    const std::optional<QByteArray> json = Crypto::base64UrlDecode(part);
    if (!json) {
        return std::nullopt;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(*json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return std::nullopt;
    }
    return document.object();
}

// A NumericDate claim (RFC 7519 §2): a finite JSON number. Qt stores integers as doubles too.
bool isNumericDate(const QJsonValue &value)
{
    return value.isDouble() && std::isfinite(value.toDouble());
}

} // namespace

QByteArray Jwt::signHs256(const QJsonObject &claims, QByteArrayView secret)
{
    if (secret.isEmpty()) {
        qCCritical(lcAuth) << "refusing to sign a token with an empty secret";
        return {};
    }
    const QByteArray payload = QJsonDocument(claims).toJson(QJsonDocument::Compact);
    const QByteArray signingInput =
            Crypto::base64UrlEncode(kHeader) + '.' + Crypto::base64UrlEncode(payload);
    return signingInput + '.' + Crypto::base64UrlEncode(Crypto::hmacSha256(secret, signingInput));
}

Result<QJsonObject> Jwt::verifyHs256(QByteArrayView token, QByteArrayView secret, qint64 nowSecs,
                                     int leewaySecs)
{
    if (secret.isEmpty()) {
        // Every token would be forgeable: a configuration error, not the client's.
        qCCritical(lcAuth) << "refusing to verify a token against an empty secret";
        return ApiError::internal();
    }
    if (token.isEmpty() || token.size() > MaxTokenBytes) {
        return malformed();
    }
    const qsizetype firstDot = token.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
        return malformed();
    }
    const QByteArrayView headerPart = token.first(firstDot);
    const QByteArrayView payloadPart = token.sliced(firstDot + 1, secondDot - firstDot - 1);
    const QByteArrayView signaturePart = token.sliced(secondDot + 1);

    const std::optional<QJsonObject> header = decodeJsonObject(headerPart);
    if (!header) {
        return malformed();
    }
    const QJsonValue alg = header->value("alg"_L1);
    if (!alg.isString() || alg.toString() != "HS256"_L1) {
        return ApiError::unauthorized(u"Unsupported token algorithm"_s);
    }
    // RFC 7515 §4.1.11: extensions marked critical must be understood, and we understand none.
    if (header->contains("crit"_L1)) {
        return ApiError::unauthorized(u"Unsupported token header"_s);
    }

    const std::optional<QByteArray> signature = Crypto::base64UrlDecode(signaturePart);
    if (!signature) {
        return malformed();
    }
    const QByteArray expected = Crypto::hmacSha256(secret, token.first(secondDot));
    if (expected.isEmpty() || !Crypto::constantTimeEquals(*signature, expected)) {
        return ApiError::unauthorized(u"Invalid token signature"_s);
    }

    // Only now, with the signature checked, is the payload worth parsing.
    const std::optional<QJsonObject> claims = decodeJsonObject(payloadPart);
    if (!claims) {
        return malformed();
    }
    const auto now = static_cast<double>(nowSecs);
    const QJsonValue exp = claims->value("exp"_L1);
    if (exp.isUndefined()) {
        return ApiError::unauthorized(u"Token has no expiry"_s);
    }
    if (!isNumericDate(exp)) {
        return ApiError::unauthorized(u"Malformed token expiry"_s);
    }
    // Same comparison as jsonwebtoken: expired once now >= exp + leeway.
    if (exp.toDouble() <= now - leewaySecs) {
        return ApiError::unauthorized(u"Token expired"_s);
    }
    const QJsonValue nbf = claims->value("nbf"_L1);
    if (!nbf.isUndefined()) {
        if (!isNumericDate(nbf)) {
            return ApiError::unauthorized(u"Malformed token not-before"_s);
        }
        if (nbf.toDouble() > now + leewaySecs) {
            return ApiError::unauthorized(u"Token not yet valid"_s);
        }
    }
    const QJsonValue iat = claims->value("iat"_L1);
    if (!iat.isUndefined() && !isNumericDate(iat)) {
        return ApiError::unauthorized(u"Malformed token issued-at"_s);
    }
    return *claims;
}
