// SPDX-License-Identifier: MIT
#pragma once

// One conversation's messages, newest first (row 0 is the latest; a chat view shows them
// bottom-to-top and pages older ones in as the user scrolls up), including the call log entries
// the server writes into the conversation (calls, missed calls, voicemails). `message.new` and
// `message.updated` keep it live (delivery status ticks, media downloaded, a missed call becoming
// a voicemail). Sends now or later (`sendAt`); cancels a scheduled message. Stored media are
// shown through signed links, asked for once per item.

#include "jsonlistmodel.h"

#include <QDateTime>
#include <QHash>
#include <QUrl>
#include <QVariantMap>

class MessageListModel : public JsonListModel
{
    Q_OBJECT
    Q_PROPERTY(QString conversationId READ conversationId WRITE setConversationId NOTIFY
                       conversationIdChanged)
    // The conversation itself (contact, status, channel, unreadCount), as the API returns it.
    Q_PROPERTY(QVariantMap conversation READ conversation NOTIFY conversationChanged)
    Q_PROPERTY(bool sending READ isSending NOTIFY sendingChanged)
    // Mark the conversation read when it is opened and when a message arrives while open.
    Q_PROPERTY(bool autoMarkRead READ autoMarkRead WRITE setAutoMarkRead NOTIFY autoMarkReadChanged)

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        DirectionRole,
        BodyRole,
        StatusRole,
        ChannelRole,
        MediaRole, // list of {url, contentType, status, displayUrl, isImage, isAudio}
        CreatedAtRole, // QDateTime
        ScheduledAtRole,
        SentAtRole,
        DeliveredAtRole,
        ErrorTextRole,
        ErrorCodeRole,
        OutboundRole, // bool
        KindRole, // "message", "call", "missedCall", "voicemail"
        DeliveryStateRole, // DeliveryState
        CreatedByRole,
    };
    Q_ENUM(Roles)

    // What the status ticks show.
    enum DeliveryState {
        NoTicks = 0, // inbound, call entries
        Scheduled, // waiting for its time
        Pending, // queued or being sent
        Sent, // one tick
        Delivered, // two ticks
        Read, // two coloured ticks
        Failed, // failed, undelivered
        Canceled,
    };
    Q_ENUM(DeliveryState)

    explicit MessageListModel(QObject *parent = nullptr);

    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] QString conversationId() const { return m_conversationId; }
    void setConversationId(const QString &id);
    [[nodiscard]] QVariantMap conversation() const { return m_conversation.toVariantMap(); }
    [[nodiscard]] bool isSending() const { return m_sending > 0; }
    [[nodiscard]] bool autoMarkRead() const { return m_autoMarkRead; }
    void setAutoMarkRead(bool on);

    [[nodiscard]] static DeliveryState deliveryState(const QJsonObject &message);
    [[nodiscard]] static QString kind(const QJsonObject &message);

    Q_INVOKABLE void send(const QString &body, const QStringList &mediaUrls = {});
    // `sendAt` must be in the future (the server says so otherwise).
    Q_INVOKABLE void sendLater(const QString &body, const QDateTime &sendAt,
                               const QStringList &mediaUrls = {});
    Q_INVOKABLE void cancelScheduled(const QString &messageId);
    Q_INVOKABLE void markRead();

Q_SIGNALS:
    void conversationIdChanged();
    void conversationChanged();
    void sendingChanged();
    void autoMarkReadChanged();
    void messageSent(const QString &messageId);
    void sendFailed(const QString &error);

protected:
    [[nodiscard]] QString listPath() const override;
    void handleEvent(const QString &name, const QJsonObject &payload) override;

private:
    void post(const QJsonObject &body);
    void loadConversation();
    void setConversation(const QJsonObject &conversation);
    [[nodiscard]] QVariantList media(int row) const;
    void requestLink(const QString &messageId, int index) const;

    QString m_conversationId;
    QJsonObject m_conversation;
    int m_sending = 0;
    bool m_autoMarkRead = true;
    // "<messageId>/<index>" → signed link; an empty URL while being asked for. Mutable: links
    // are fetched lazily when data() first shows an item.
    mutable QHash<QString, QUrl> m_links;
};
