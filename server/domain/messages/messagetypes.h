// SPDX-License-Identifier: MIT
#pragma once
// The message model shared by the storage, domain and API layers.

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

struct MediaItem
{
    QString url;
    QString contentType; // empty when unknown (outbound media we only link to)
};

struct Message
{
    QString id;
    QString teamId;
    QString conversationId;
    QString contactId;
    QString inboxId;
    QString channel;
    QString direction; // inbound | outbound
    QString body;
    QList<MediaItem> media;
    // pending | scheduled | queued | sending | sent | delivered | read | received | undelivered
    // | failed | canceled (the CHECK of the messages table)
    QString status;
    QString errorCode;
    QString errorText;
    QDateTime scheduledAt;
    QDateTime sentAt;
    QDateTime deliveredAt;
    QString createdBy;
    QDateTime createdAt;
};

// What a sender asks for; the use case fills in the rest from the conversation.
struct OutboundRequest
{
    QString body;
    QStringList mediaUrls;
    QDateTime sendAt; // invalid: send now
};

// The `media` column holds a JSON array whose items are URL strings (the original's format, and
// what outbound messages store) or {url, contentType} objects (inbound media with its type).
[[nodiscard]] QList<MediaItem> mediaFromJson(const QJsonValue &value);
[[nodiscard]] QJsonArray mediaUrlsJson(const QList<MediaItem> &media);

// The /api/v1 shape, also the payload of the `message.new` event.
[[nodiscard]] QJsonObject messageJson(const Message &message);

// The original backend's five message states (COMPAT_API.md): PENDING, SENT, DELIVERED, FAILED,
// RECEIVED, from the richer v1 ones.
[[nodiscard]] QString compatStatus(const QString &status);
// A `message.new` payload in the original's shape, from the v1 JSON of messageJson(): what the
// original web frontend's socket reads.
[[nodiscard]] QJsonObject compatMessageFromJson(const QJsonObject &message);
