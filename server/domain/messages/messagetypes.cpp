// SPDX-License-Identifier: MIT
#include "messagetypes.h"

#include "domain/conversations/conversationtypes.h"

using namespace Qt::StringLiterals;

QList<MediaItem> mediaFromJson(const QJsonValue &value)
{
    QList<MediaItem> media;
    const QJsonArray items = value.toArray();
    for (const QJsonValue &item : items) {
        if (item.isString()) {
            media.append({item.toString(), {}});
        } else if (item.isObject()) {
            const QJsonObject object = item.toObject();
            const QString url = object.value(u"url"_s).toString();
            if (!url.isEmpty()) {
                media.append({url, object.value(u"contentType"_s).toString()});
            }
        }
    }
    return media;
}

QJsonArray mediaUrlsJson(const QList<MediaItem> &media)
{
    QJsonArray urls;
    for (const MediaItem &item : media) {
        urls.append(item.url);
    }
    return urls;
}

QJsonObject messageJson(const Message &m)
{
    QJsonArray media;
    for (const MediaItem &item : m.media) {
        media.append(QJsonObject{{u"url"_s, item.url},
                                 {u"contentType"_s, jsonTextOrNull(item.contentType)}});
    }
    return QJsonObject{{u"id"_s, m.id},
                       {u"conversationId"_s, jsonTextOrNull(m.conversationId)},
                       {u"contactId"_s, m.contactId},
                       {u"direction"_s, m.direction},
                       {u"channel"_s, m.channel},
                       {u"body"_s, m.body},
                       {u"media"_s, media},
                       {u"status"_s, m.status},
                       {u"errorCode"_s, jsonTextOrNull(m.errorCode)},
                       {u"errorText"_s, jsonTextOrNull(m.errorText)},
                       {u"scheduledAt"_s, isoTimeOrNull(m.scheduledAt)},
                       {u"sentAt"_s, isoTimeOrNull(m.sentAt)},
                       {u"deliveredAt"_s, isoTimeOrNull(m.deliveredAt)},
                       {u"createdBy"_s, jsonTextOrNull(m.createdBy)},
                       {u"createdAt"_s, isoTimeOrNull(m.createdAt)}};
}
