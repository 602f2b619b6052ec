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
    MediaItem() = default;
    // Not an aggregate, so {url, contentType} stays valid as fields are added.
    MediaItem(QString url, QString contentType, QString status = {}, qint64 size = 0)
        : url(std::move(url)), contentType(std::move(contentType)), status(std::move(status)),
          size(size)
    {
    }

    QString url;
    QString contentType; // empty when unknown (outbound media we only link to)
    // Inbound media: empty until the download job ran, then "stored" (kept in the media store,
    // `size` bytes, served at mediaApiPath()) or "unavailable" (the message stays readable).
    QString status;
    qint64 size = 0;
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
    QString providerSid; // Twilio's MessageSid; empty until the provider has the message
    QString errorCode;
    QString errorText;
    QDateTime scheduledAt;
    QDateTime sentAt;
    QDateTime deliveredAt;
    QString createdBy;
    QDateTime createdAt;
    QJsonObject metadata; // facts beyond the columns (a call entry: {callId, kind})
};

// What a sender asks for; the use case fills in the rest from the conversation.
struct OutboundRequest
{
    QString body;
    QStringList mediaUrls;
    QDateTime sendAt; // invalid: send now
    // The caller makes the first delivery attempt itself (the compatible immediate send): the
    // job is then due only later, as the fallback if that attempt never happens.
    bool attemptedByCaller = false;
};

// A change to a message that is still scheduled: its time and/or its text.
struct ScheduledChange
{
    QDateTime sendAt; // invalid: unchanged
    QString body;     // null: unchanged
};

// The `media` column holds a JSON array whose items are URL strings (the original's format, and
// what outbound messages store) or {url, contentType} objects (inbound media with its type).
[[nodiscard]] QList<MediaItem> mediaFromJson(const QJsonValue &value);
[[nodiscard]] QJsonArray mediaUrlsJson(const QList<MediaItem> &media);
// The `media` column's value: URL strings for plain links, objects for typed or fetched items.
[[nodiscard]] QJsonArray mediaColumnJson(const QList<MediaItem> &media);
// Where a stored media item is served: /api/v1/teams/{teamId}/messages/{messageId}/media/{index}.
[[nodiscard]] QString mediaApiPath(const QString &teamId, const QString &messageId, int index);

// The /api/v1 shape, also the payload of the `message.new` event. A stored media item's `url` is
// its mediaApiPath() (Twilio's URL moves to `sourceUrl`); items with a status carry it.
[[nodiscard]] QJsonObject messageJson(const Message &message);

// The original backend's five message states (COMPAT_API.md): PENDING, SENT, DELIVERED, FAILED,
// RECEIVED, from the richer v1 ones.
[[nodiscard]] QString compatStatus(const QString &status);
// A `message.new` payload in the original's shape, from the v1 JSON of messageJson(): what the
// original web frontend's socket reads.
[[nodiscard]] QJsonObject compatMessageFromJson(const QJsonObject &message);
