// SPDX-License-Identifier: MIT
#include "medialinks.h"

#include "core/crypto.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

// Domain separation: the JWT key signs sign-in tokens; this one only media links.
constexpr QByteArrayView kKeyLabel = "inbox-central media link v1";
constexpr int kMaxIndex = 99;
constexpr qsizetype kMaxTokenLength = 1024;

} // namespace

MediaLinks::MediaLinks(QString publicUrl, QByteArrayView jwtSecret)
    : m_publicUrl(std::move(publicUrl)), m_key(Crypto::hmacSha256(jwtSecret, kKeyLabel))
{
    while (m_publicUrl.endsWith(u'/')) {
        m_publicUrl.chop(1);
    }
}

QString MediaLinks::token(const MediaRef &media, const QDateTime &expiresAt) const
{
    const QJsonObject payload{{u"t"_s, media.teamId},
                              {u"m"_s, media.messageId},
                              {u"i"_s, media.index},
                              {u"e"_s, expiresAt.toSecsSinceEpoch()}};
    const QByteArray body =
        Crypto::base64UrlEncode(QJsonDocument(payload).toJson(QJsonDocument::Compact));
    return QString::fromLatin1(body + '.' + Crypto::base64UrlEncode(Crypto::hmacSha256(m_key, body)));
}

QString MediaLinks::signedUrl(const MediaRef &media, int ttlSeconds, const QDateTime &now) const
{
    return m_publicUrl + u"/media/"_s + token(media, now.addSecs(ttlSeconds));
}

std::optional<MediaRef> MediaLinks::verify(QStringView token, const QDateTime &now) const
{
    if (token.size() > kMaxTokenLength) {
        return std::nullopt;
    }
    const QByteArray text = token.toLatin1();
    const qsizetype dot = text.indexOf('.');
    if (dot <= 0 || text.indexOf('.', dot + 1) >= 0) {
        return std::nullopt;
    }
    const QByteArray body = text.left(dot);
    const std::optional<QByteArray> mac = Crypto::base64UrlDecode(QByteArrayView(text).sliced(dot + 1));
    if (!mac || !Crypto::constantTimeEquals(*mac, Crypto::hmacSha256(m_key, body))) {
        return std::nullopt;
    }
    const std::optional<QByteArray> json = Crypto::base64UrlDecode(body);
    if (!json) {
        return std::nullopt;
    }
    const QJsonObject payload = QJsonDocument::fromJson(*json).object();
    const QJsonValue index = payload.value(u"i"_s);
    const QJsonValue expires = payload.value(u"e"_s);
    MediaRef media{payload.value(u"t"_s).toString(), payload.value(u"m"_s).toString(),
                   index.toInt(-1)};
    if (media.teamId.isEmpty() || media.messageId.isEmpty() || !index.isDouble()
        || media.index < 0 || !expires.isDouble()) {
        return std::nullopt;
    }
    if (now.toSecsSinceEpoch() >= expires.toInteger()) {
        return std::nullopt;
    }
    return media;
}

std::optional<QString> MediaLinks::publicLink(const QString &url, const QString &teamId,
                                              int ttlSeconds) const
{
    QString path = url;
    if (url.startsWith(m_publicUrl + u'/')) {
        path = url.mid(m_publicUrl.size());
    } else if (!url.startsWith(u'/') || url.startsWith(u"//"_s)) {
        return std::nullopt;
    }
    const std::optional<MediaRef> media = fromApiPath(path);
    if (!media || media->teamId != teamId) {
        return std::nullopt;
    }
    return signedUrl(*media, ttlSeconds);
}

std::optional<MediaRef> MediaLinks::fromApiPath(QStringView path)
{
    static const QRegularExpression pattern(
        u"^/api/v1/teams/([A-Za-z0-9_-]{1,64})/messages/([A-Za-z0-9_-]{1,64})/media/(\\d{1,2})$"_s);
    const QRegularExpressionMatch match = pattern.match(path.toString());
    if (!match.hasMatch()) {
        return std::nullopt;
    }
    const int index = match.captured(3).toInt();
    if (index > kMaxIndex) {
        return std::nullopt;
    }
    return MediaRef{match.captured(1), match.captured(2), index};
}
