// SPDX-License-Identifier: MIT
#include "tokenservice.h"

#include "auth/jwt.h"
#include "core/crypto.h"
#include "core/ids.h"

#include <QDateTime>
#include <QJsonObject>

using namespace Qt::StringLiterals;

TokenService::TokenService(QByteArray secret, int accessTtlSeconds, int refreshTtlSeconds)
    : m_secret(std::move(secret)), m_accessTtl(accessTtlSeconds), m_refreshTtl(refreshTtlSeconds)
{
}

QByteArray TokenService::issueAccessToken(const QString &userId, const QString &email) const
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return Jwt::signHs256(QJsonObject{{u"sub"_s, userId},
                                      {u"id"_s, userId},
                                      {u"email"_s, email},
                                      {u"iat"_s, now},
                                      {u"exp"_s, now + m_accessTtl},
                                      {u"jti"_s, newId()}},
                          m_secret);
}

Result<Principal> TokenService::verifyAccessToken(QByteArrayView token) const
{
    if (token.isEmpty()) {
        return ApiError::unauthorized();
    }
    Result<QJsonObject> claims = Jwt::verifyHs256(token, m_secret, QDateTime::currentSecsSinceEpoch());
    if (!claims) {
        return claims.error();
    }
    QString userId = claims->value(u"sub"_s).toString();
    if (userId.isEmpty()) {
        userId = claims->value(u"id"_s).toString(); // tokens minted by the original carry only id
    }
    if (userId.isEmpty()) {
        return ApiError::unauthorized(u"Token has no subject"_s);
    }
    return Principal{userId, claims->value(u"email"_s).toString(),
                     qint64(claims->value(u"exp"_s).toDouble())};
}

QString TokenService::newRefreshToken()
{
    return Crypto::randomToken(32);
}

QByteArray TokenService::hashRefreshToken(const QString &token)
{
    return Crypto::sha256(token.toUtf8()).toHex();
}
