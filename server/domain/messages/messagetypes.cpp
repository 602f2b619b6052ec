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
                media.append({url, object.value(u"contentType"_s).toString(),
                              object.value(u"status"_s).toString(),
                              object.value(u"size"_s).toInteger()});
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

QJsonArray mediaColumnJson(const QList<MediaItem> &media)
{
    QJsonArray items;
    for (const MediaItem &item : media) {
        if (item.contentType.isEmpty() && item.status.isEmpty()) {
            items.append(item.url);
            continue;
        }
        QJsonObject object{{u"url"_s, item.url}, {u"contentType"_s, item.contentType}};
        if (!item.status.isEmpty()) {
            object.insert(u"status"_s, item.status);
        }
        if (item.size > 0) {
            object.insert(u"size"_s, item.size);
        }
        items.append(object);
    }
    return items;
}

QString mediaApiPath(const QString &teamId, const QString &messageId, int index)
{
    return u"/api/v1/teams/%1/messages/%2/media/%3"_s.arg(teamId, messageId,
                                                         QString::number(index));
}

QJsonObject messageJson(const Message &m)
{
    QJsonArray media;
    for (qsizetype i = 0; i < m.media.size(); ++i) {
        const MediaItem &item = m.media.at(i);
        QJsonObject json{{u"url"_s, item.url},
                         {u"contentType"_s, jsonTextOrNull(item.contentType)}};
        if (item.status == u"stored"_s) {
            json.insert(u"url"_s, mediaApiPath(m.teamId, m.id, int(i)));
            json.insert(u"sourceUrl"_s, item.url);
            json.insert(u"size"_s, item.size);
        }
        if (!item.status.isEmpty()) {
            json.insert(u"status"_s, item.status);
        }
        media.append(json);
    }
    return QJsonObject{{u"id"_s, m.id},
                       {u"conversationId"_s, jsonTextOrNull(m.conversationId)},
                       {u"contactId"_s, m.contactId},
                       {u"direction"_s, m.direction},
                       {u"channel"_s, m.channel},
                       {u"body"_s, m.body},
                       {u"media"_s, media},
                       {u"status"_s, m.status},
                       {u"providerSid"_s, jsonTextOrNull(m.providerSid)},
                       {u"errorCode"_s, jsonTextOrNull(m.errorCode)},
                       {u"errorText"_s, jsonTextOrNull(m.errorText)},
                       {u"scheduledAt"_s, isoTimeOrNull(m.scheduledAt)},
                       {u"sentAt"_s, isoTimeOrNull(m.sentAt)},
                       {u"deliveredAt"_s, isoTimeOrNull(m.deliveredAt)},
                       {u"createdBy"_s, jsonTextOrNull(m.createdBy)},
                       {u"createdAt"_s, isoTimeOrNull(m.createdAt)}};
}

QString compatStatus(const QString &status)
{
    if (status == u"sent"_s) {
        return u"SENT"_s;
    }
    if (status == u"delivered"_s || status == u"read"_s) {
        return u"DELIVERED"_s;
    }
    if (status == u"failed"_s || status == u"undelivered"_s || status == u"canceled"_s) {
        return u"FAILED"_s;
    }
    if (status == u"received"_s) {
        return u"RECEIVED"_s;
    }
    return u"PENDING"_s; // pending, scheduled, queued, sending
}

QJsonObject compatMessageFromJson(const QJsonObject &message)
{
    QJsonArray urls;
    for (const QJsonValue &item : message.value(u"media"_s).toArray()) {
        urls.append(item.isObject() ? item.toObject().value(u"url"_s) : item);
    }
    return QJsonObject{{u"id"_s, message.value(u"id"_s)},
                       {u"contactId"_s, message.value(u"contactId"_s)},
                       {u"direction"_s, message.value(u"direction"_s).toString().toUpper()},
                       {u"body"_s, message.value(u"body"_s)},
                       {u"media"_s, urls},
                       {u"createdAt"_s, message.value(u"createdAt"_s)},
                       {u"channel"_s, message.value(u"channel"_s).toString().toUpper()},
                       {u"status"_s, compatStatus(message.value(u"status"_s).toString())},
                       {u"scheduledAt"_s, message.value(u"scheduledAt"_s)}};
}
