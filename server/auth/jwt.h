// SPDX-License-Identifier: MIT
#pragma once
// HS256 JSON Web Tokens (RFC 7519), wire-compatible with Node's `jsonwebtoken`, which issued the
// access tokens of the old backend. Only HS256 exists here: the algorithm is never taken from the
// token, which closes the "alg: none" and algorithm-confusion attacks.

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>

class Jwt
{
public:
    // Tokens longer than this are refused before any decoding work.
    static constexpr qsizetype MaxTokenBytes = 8192;

    // "<header>.<claims>.<signature>" with header {"alg":"HS256","typ":"JWT"} and compact JSON
    // claims, as jsonwebtoken writes them. The caller sets iat/exp. Empty for an empty secret.
    [[nodiscard]] static QByteArray signHs256(const QJsonObject &claims, QByteArrayView secret);

    // The claims of a token signed with secret and valid at nowSecs (unix seconds), allowing
    // leewaySecs of clock skew on exp and nbf. exp is required. Every failure is a 401 whose
    // detail says what was wrong, except an empty secret, which is a server error (500).
    [[nodiscard]] static Result<QJsonObject>
    verifyHs256(QByteArrayView token, QByteArrayView secret, qint64 nowSecs, int leewaySecs = 30);
};
