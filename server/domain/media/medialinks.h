// SPDX-License-Identifier: MIT
#pragma once
// Signed, short-lived links to stored media, for whoever cannot send our Bearer token: Twilio
// fetching an outbound message's MediaUrl, or an <img> in a browser. A link is
// {PUBLIC_URL}/media/{token}, token = base64url(payload) "." base64url(HMAC-SHA256(key,
// base64url(payload))), payload = {"t": teamId, "m": messageId, "i": index, "e": expiry (Unix
// seconds)}; the key is derived from JWT_SECRET, so links survive restarts and work across
// instances that share the secret, and rotating the secret revokes them all.
//
// Thread-safe: immutable after construction.

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QString>

#include <optional>

// One stored media item: the `index`th of a message's media.
struct MediaRef
{
    QString teamId;
    QString messageId;
    int index = 0;

    friend bool operator==(const MediaRef &, const MediaRef &) = default;
};

class MediaLinks
{
public:
    static constexpr int DefaultTtlSeconds = 3600;
    static constexpr int MaxTtlSeconds = 86400;

    MediaLinks(QString publicUrl, QByteArrayView jwtSecret);

    // The token alone, valid until `expiresAt` (whole seconds).
    [[nodiscard]] QString token(const MediaRef &media, const QDateTime &expiresAt) const;
    // {PUBLIC_URL}/media/{token}, valid for `ttlSeconds` from `now`.
    [[nodiscard]] QString signedUrl(const MediaRef &media, int ttlSeconds = DefaultTtlSeconds,
                                    const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    // What a token names when its signature holds and it has not expired at `now`; nullopt for
    // anything else (malformed, altered, signed with another key, expired).
    [[nodiscard]] std::optional<MediaRef>
    verify(QStringView token, const QDateTime &now = QDateTime::currentDateTimeUtc()) const;

    // For the delivery of an outbound message of `teamId`: when `url` names one of that team's
    // stored media by its API path (mediaApiPath(), relative or under PUBLIC_URL), the signed
    // link Twilio can fetch; nullopt for any other URL (sent on as it is) and for another team's
    // media (never signed on this team's behalf).
    [[nodiscard]] std::optional<QString> publicLink(const QString &url, const QString &teamId,
                                                    int ttlSeconds = DefaultTtlSeconds) const;

    // The media an API path names: /api/v1/teams/{teamId}/messages/{messageId}/media/{index}.
    [[nodiscard]] static std::optional<MediaRef> fromApiPath(QStringView path);

    [[nodiscard]] QString publicUrl() const { return m_publicUrl; }

private:
    QString m_publicUrl;
    QByteArray m_key;
};
