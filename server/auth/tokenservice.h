// SPDX-License-Identifier: MIT
#pragma once
// Access tokens (HS256 JWTs with the original's {id, email} claims plus sub/iat/exp/jti) and
// opaque refresh tokens (random; only their SHA-256 is stored).

#include "core/result.h"

#include <QByteArray>
#include <QString>

struct Principal
{
    QString userId;
    QString email;
    qint64 expiresAt = 0;
};

class TokenService
{
public:
    TokenService(QByteArray secret, int accessTtlSeconds, int refreshTtlSeconds);

    [[nodiscard]] QByteArray issueAccessToken(const QString &userId, const QString &email) const;
    [[nodiscard]] Result<Principal> verifyAccessToken(QByteArrayView token) const;

    [[nodiscard]] static QString newRefreshToken();
    [[nodiscard]] static QByteArray hashRefreshToken(const QString &token); // hex SHA-256

    [[nodiscard]] int accessTtl() const { return m_accessTtl; }
    [[nodiscard]] int refreshTtl() const { return m_refreshTtl; }

private:
    QByteArray m_secret;
    int m_accessTtl;
    int m_refreshTtl;
};
