// SPDX-License-Identifier: MIT
#include "messagelistmodel.h"

#include "apiclient.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {
QDateTime dateOf(const QJsonObject &o, const QString &key)
{
    const QString text = o.value(key).toString();
    return text.isEmpty() ? QDateTime() : QDateTime::fromString(text, Qt::ISODateWithMs);
}
} // namespace

MessageListModel::MessageListModel(QObject *parent)
    : JsonListModel(parent)
{
    connect(this, &JsonListModel::sessionChanged, this, &MessageListModel::loadConversation);
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {
            {IdRole, "messageId"},
            {DirectionRole, "direction"},
            {BodyRole, "body"},
            {StatusRole, "status"},
            {ChannelRole, "channel"},
            {MediaRole, "media"},
            {CreatedAtRole, "createdAt"},
            {ScheduledAtRole, "scheduledAt"},
            {SentAtRole, "sentAt"},
            {DeliveredAtRole, "deliveredAt"},
            {ErrorTextRole, "errorText"},
            {ErrorCodeRole, "errorCode"},
            {OutboundRole, "outbound"},
            {KindRole, "kind"},
            {DeliveryStateRole, "deliveryState"},
            {CreatedByRole, "createdBy"},
    };
}

MessageListModel::DeliveryState MessageListModel::deliveryState(const QJsonObject &m)
{
    if (m.value(u"direction"_s).toString() != u"outbound"_s
        || m.value(u"channel"_s).toString() == u"voice"_s) {
        return NoTicks;
    }
    const QString status = m.value(u"status"_s).toString();
    if (status == u"scheduled"_s) {
        return Scheduled;
    }
    if (status == u"sent"_s) {
        return Sent;
    }
    if (status == u"delivered"_s) {
        return Delivered;
    }
    if (status == u"read"_s) {
        return Read;
    }
    if (status == u"failed"_s || status == u"undelivered"_s) {
        return Failed;
    }
    if (status == u"canceled"_s) {
        return Canceled;
    }
    return Pending; // pending, queued, sending
}

QString MessageListModel::kind(const QJsonObject &m)
{
    if (m.value(u"channel"_s).toString() != u"voice"_s) {
        return u"message"_s;
    }
    // Call entries carry their kind only in their text and media (docs/api.md "Voice"): a
    // voicemail has its recording attached; a missed call has neither recording nor duration.
    const QJsonArray media = m.value(u"media"_s).toArray();
    const bool recording = std::any_of(media.begin(), media.end(), [](const QJsonValue &v) {
        return v.toObject().value(u"contentType"_s).toString().startsWith(u"audio/"_s);
    });
    if (recording) {
        return u"voicemail"_s;
    }
    if (m.value(u"body"_s).toString().startsWith(u"Missed call"_s)) {
        return u"missedCall"_s;
    }
    return u"call"_s;
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size()) {
        return {};
    }
    const QJsonObject &m = m_items.at(index.row());
    switch (role) {
    case IdRole:
        return m.value(u"id"_s).toString();
    case DirectionRole:
        return m.value(u"direction"_s).toString();
    case BodyRole:
        return m.value(u"body"_s).toString();
    case StatusRole:
        return m.value(u"status"_s).toString();
    case ChannelRole:
        return m.value(u"channel"_s).toString();
    case MediaRole:
        return media(index.row());
    case CreatedAtRole:
        return dateOf(m, u"createdAt"_s);
    case ScheduledAtRole:
        return dateOf(m, u"scheduledAt"_s);
    case SentAtRole:
        return dateOf(m, u"sentAt"_s);
    case DeliveredAtRole:
        return dateOf(m, u"deliveredAt"_s);
    case ErrorTextRole:
        return m.value(u"errorText"_s).toString();
    case ErrorCodeRole:
        return m.value(u"errorCode"_s).toVariant().toString();
    case OutboundRole:
        return m.value(u"direction"_s).toString() == u"outbound"_s;
    case KindRole:
        return kind(m);
    case DeliveryStateRole:
        return int(deliveryState(m));
    case CreatedByRole:
        return m.value(u"createdBy"_s).toString();
    default:
        return {};
    }
}

QVariantList MessageListModel::media(int row) const
{
    const QJsonObject &m = m_items.at(row);
    const QString messageId = m.value(u"id"_s).toString();
    const QJsonArray items = m.value(u"media"_s).toArray();
    QVariantList out;
    for (int i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        const QString contentType = item.value(u"contentType"_s).toString();
        const QString status = item.value(u"status"_s).toString();
        QUrl display(item.value(u"url"_s).toString());
        if (status == u"stored"_s) {
            // Our API path needs the bearer token, which an Image cannot send: use a signed
            // link (asked for once).
            const QString key = messageId + u'/' + QString::number(i);
            const auto it = m_links.constFind(key);
            if (it == m_links.cend()) {
                requestLink(messageId, i);
                display = QUrl();
            } else {
                display = *it;
            }
        }
        out.append(QVariantMap {
                {u"url"_s, item.value(u"url"_s).toString()},
                {u"contentType"_s, contentType},
                {u"status"_s, status},
                {u"displayUrl"_s, display},
                {u"isImage"_s, contentType.startsWith(u"image/"_s)},
                {u"isAudio"_s, contentType.startsWith(u"audio/"_s)},
        });
    }
    return out;
}

void MessageListModel::requestLink(const QString &messageId, int index) const
{
    if (!session()) {
        return;
    }
    const QString key = messageId + u'/' + QString::number(index);
    m_links.insert(key, QUrl());
    auto *self = const_cast<MessageListModel *>(this);
    session()->api()->post(
            session()->teamPath(u"/messages/%1/media/%2/link"_s.arg(messageId).arg(index)),
            QJsonObject(), self, [self, key, messageId](const ApiResult &result) {
                if (!result.ok()) {
                    return;
                }
                self->m_links.insert(key, QUrl(result.object().value(u"url"_s).toString()));
                const int row = self->indexOf(messageId);
                if (row >= 0) {
                    Q_EMIT self->dataChanged(self->index(row), self->index(row), {MediaRole});
                }
            });
}

void MessageListModel::setConversationId(const QString &id)
{
    if (m_conversationId == id) {
        return;
    }
    m_conversationId = id;
    m_links.clear();
    setConversation({});
    Q_EMIT conversationIdChanged();
    reload();
    loadConversation();
}

void MessageListModel::setAutoMarkRead(bool on)
{
    if (m_autoMarkRead != on) {
        m_autoMarkRead = on;
        Q_EMIT autoMarkReadChanged();
    }
}

QString MessageListModel::listPath() const
{
    if (!session() || m_conversationId.isEmpty()) {
        return {};
    }
    return session()->teamPath(u"/conversations/"_s + m_conversationId + u"/messages"_s);
}

void MessageListModel::setConversation(const QJsonObject &conversation)
{
    m_conversation = conversation;
    Q_EMIT conversationChanged();
    if (m_autoMarkRead && conversation.value(u"unreadCount"_s).toInt() > 0) {
        markRead();
    }
}

void MessageListModel::loadConversation()
{
    if (!session() || !session()->isSignedIn() || m_conversationId.isEmpty()) {
        return;
    }
    const QString id = m_conversationId;
    session()->api()->get(session()->teamPath(u"/conversations/"_s + id), {}, this,
                          [this, id](const ApiResult &result) {
                              if (result.ok() && id == m_conversationId) {
                                  setConversation(result.object());
                              }
                          });
}

void MessageListModel::markRead()
{
    if (!session() || m_conversationId.isEmpty()) {
        return;
    }
    session()->api()->post(
            session()->teamPath(u"/conversations/"_s + m_conversationId + u"/read"_s),
            QJsonObject(), this, [](const ApiResult &) {
                // The conversation.updated event brings the new count to every view.
            });
}

void MessageListModel::handleEvent(const QString &name, const QJsonObject &payload)
{
    if (m_conversationId.isEmpty()) {
        return;
    }
    if (name == u"message.new"_s || name == u"message.updated"_s) {
        if (payload.value(u"conversationId"_s).toString() != m_conversationId) {
            return;
        }
        upsert(payload);
        if (name == u"message.new"_s && m_autoMarkRead
            && payload.value(u"direction"_s).toString() == u"inbound"_s) {
            markRead();
        }
    } else if (name == u"conversation.updated"_s) {
        if (payload.value(u"id"_s).toString() == m_conversationId) {
            m_conversation = payload;
            Q_EMIT conversationChanged();
        }
    }
}

void MessageListModel::post(const QJsonObject &body)
{
    if (!session() || m_conversationId.isEmpty()) {
        Q_EMIT sendFailed(tr("No conversation is open."));
        return;
    }
    ++m_sending;
    Q_EMIT sendingChanged();
    session()->api()->post(listPath(), body, this, [this](const ApiResult &result) {
        --m_sending;
        Q_EMIT sendingChanged();
        if (!result.ok()) {
            setError(result.problem.message());
            Q_EMIT sendFailed(result.problem.message());
            return;
        }
        setError({});
        upsert(result.object()); // the message.new event may have come first: same row
        Q_EMIT messageSent(result.object().value(u"id"_s).toString());
    });
}

void MessageListModel::send(const QString &body, const QStringList &mediaUrls)
{
    QJsonObject request {{u"body"_s, body}};
    if (!mediaUrls.isEmpty()) {
        request.insert(u"mediaUrls"_s, QJsonArray::fromStringList(mediaUrls));
    }
    post(request);
}

void MessageListModel::sendLater(const QString &body, const QDateTime &sendAt,
                                 const QStringList &mediaUrls)
{
    QJsonObject request {{u"body"_s, body},
                         {u"sendAt"_s, sendAt.toUTC().toString(Qt::ISODateWithMs)}};
    if (!mediaUrls.isEmpty()) {
        request.insert(u"mediaUrls"_s, QJsonArray::fromStringList(mediaUrls));
    }
    post(request);
}

void MessageListModel::cancelScheduled(const QString &messageId)
{
    session()->api()->post(session()->teamPath(u"/messages/"_s + messageId + u"/cancel"_s),
                           QJsonObject(), this, [this](const ApiResult &result) {
                               if (result.ok()) {
                                   upsert(result.object());
                               } else {
                                   setError(result.problem.message());
                               }
                           });
}
