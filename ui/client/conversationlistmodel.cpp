// SPDX-License-Identifier: MIT
#include "conversationlistmodel.h"

#include "apiclient.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace {
constexpr qsizetype PreviewLength = 140;

QString activity(const QJsonObject &conversation)
{
    const QString last = conversation.value(u"lastMessageAt"_s).toString();
    return last.isEmpty() ? conversation.value(u"createdAt"_s).toString() : last;
}
} // namespace

ConversationListModel::ConversationListModel(QObject *parent)
    : JsonListModel(parent)
{
    connect(this, &JsonListModel::countChanged, this, &ConversationListModel::unreadChanged);
    connect(this, &QAbstractItemModel::dataChanged, this, &ConversationListModel::unreadChanged);
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {
            {IdRole, "conversationId"},
            {ContactIdRole, "contactId"},
            {ContactNameRole, "contactName"},
            {ContactPhoneRole, "contactPhone"},
            {ChannelRole, "channel"},
            {StatusRole, "status"},
            {AssigneeIdRole, "assigneeId"},
            {InboxIdRole, "inboxId"},
            {LastMessageAtRole, "lastMessageAt"},
            {PreviewRole, "preview"},
            {UnreadCountRole, "unreadCount"},
            {SnoozedUntilRole, "snoozedUntil"},
    };
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size()) {
        return {};
    }
    const QJsonObject &c = m_items.at(index.row());
    const QJsonObject contact = c.value(u"contact"_s).toObject();
    switch (role) {
    case IdRole:
        return c.value(u"id"_s).toString();
    case ContactIdRole:
        return contact.value(u"id"_s).toString();
    case ContactNameRole:
        for (const auto &key : {u"name"_s, u"phone"_s, u"email"_s}) {
            const QString value = contact.value(key).toString();
            if (!value.isEmpty()) {
                return value;
            }
        }
        return QString();
    case ContactPhoneRole:
        return contact.value(u"phone"_s).toString();
    case ChannelRole:
        return c.value(u"channel"_s).toString();
    case StatusRole:
        return c.value(u"status"_s).toString();
    case AssigneeIdRole:
        return c.value(u"assigneeId"_s).toString();
    case InboxIdRole:
        return c.value(u"inboxId"_s).toString();
    case LastMessageAtRole:
        return QDateTime::fromString(activity(c), Qt::ISODateWithMs);
    case PreviewRole:
        return c.value(u"lastMessagePreview"_s).toString();
    case UnreadCountRole:
        return c.value(u"unreadCount"_s).toInt();
    case SnoozedUntilRole:
        return QDateTime::fromString(c.value(u"snoozedUntil"_s).toString(), Qt::ISODateWithMs);
    default:
        return {};
    }
}

void ConversationListModel::filtersUpdated()
{
    Q_EMIT filtersChanged();
    reload();
}

void ConversationListModel::setInboxId(const QString &id)
{
    if (m_inboxId != id) {
        m_inboxId = id;
        filtersUpdated();
    }
}

void ConversationListModel::setStatus(const QString &status)
{
    if (m_status != status) {
        m_status = status;
        filtersUpdated();
    }
}

void ConversationListModel::setAssigneeId(const QString &id)
{
    if (m_assigneeId != id) {
        m_assigneeId = id;
        filtersUpdated();
    }
}

void ConversationListModel::setUnassigned(bool unassigned)
{
    if (m_unassigned != unassigned) {
        m_unassigned = unassigned;
        filtersUpdated();
    }
}

void ConversationListModel::setUnreadOnly(bool unreadOnly)
{
    if (m_unreadOnly != unreadOnly) {
        m_unreadOnly = unreadOnly;
        filtersUpdated();
    }
}

void ConversationListModel::setContactId(const QString &id)
{
    if (m_contactId != id) {
        m_contactId = id;
        filtersUpdated();
    }
}

int ConversationListModel::unreadConversations() const
{
    return int(std::count_if(m_items.cbegin(), m_items.cend(), [](const QJsonObject &c) {
        return c.value(u"unreadCount"_s).toInt() > 0;
    }));
}

int ConversationListModel::unreadMessages() const
{
    int total = 0;
    for (const QJsonObject &c : m_items) {
        total += c.value(u"unreadCount"_s).toInt();
    }
    return total;
}

QString ConversationListModel::listPath() const
{
    return session() ? session()->teamPath(u"/conversations"_s) : QString();
}

QUrlQuery ConversationListModel::listQuery() const
{
    QUrlQuery query;
    if (!m_inboxId.isEmpty()) {
        query.addQueryItem(u"inboxId"_s, m_inboxId);
    }
    if (!m_status.isEmpty()) {
        query.addQueryItem(u"status"_s, m_status);
    }
    if (m_unassigned) {
        query.addQueryItem(u"unassigned"_s, u"true"_s);
    } else if (!m_assigneeId.isEmpty()) {
        query.addQueryItem(u"assigneeId"_s, m_assigneeId);
    }
    if (m_unreadOnly) {
        query.addQueryItem(u"unread"_s, u"true"_s);
    }
    if (!m_contactId.isEmpty()) {
        query.addQueryItem(u"contactId"_s, m_contactId);
    }
    return query;
}

bool ConversationListModel::before(const QJsonObject &a, const QJsonObject &b) const
{
    const QString ta = activity(a);
    const QString tb = activity(b);
    if (ta != tb) {
        return ta > tb;
    }
    return a.value(u"id"_s).toString() > b.value(u"id"_s).toString();
}

bool ConversationListModel::accepts(const QJsonObject &c) const
{
    if (session() && c.value(u"teamId"_s).toString() != session()->teamId()) {
        return false;
    }
    if (!m_inboxId.isEmpty() && c.value(u"inboxId"_s).toString() != m_inboxId) {
        return false;
    }
    if (!m_status.isEmpty() && c.value(u"status"_s).toString() != m_status) {
        return false;
    }
    if (m_unassigned && !c.value(u"assigneeId"_s).toString().isEmpty()) {
        return false;
    }
    if (!m_unassigned && !m_assigneeId.isEmpty()
        && c.value(u"assigneeId"_s).toString() != m_assigneeId) {
        return false;
    }
    if (m_unreadOnly && c.value(u"unreadCount"_s).toInt() <= 0) {
        return false;
    }
    if (!m_contactId.isEmpty()
        && c.value(u"contact"_s).toObject().value(u"id"_s).toString() != m_contactId) {
        return false;
    }
    return true;
}

void ConversationListModel::apply(const QJsonObject &conversation)
{
    if (accepts(conversation)) {
        upsert(conversation);
    } else {
        removeById(conversation.value(u"id"_s).toString());
    }
}

void ConversationListModel::fetchAndApply(const QString &conversationId)
{
    if (!session()) {
        return;
    }
    session()->api()->get(session()->teamPath(u"/conversations/"_s + conversationId), {}, this,
                          [this](const ApiResult &result) {
                              if (result.ok()) {
                                  apply(result.object());
                              }
                          });
}

void ConversationListModel::refreshContact(const QString &contactId)
{
    session()->api()->get(session()->teamPath(u"/contacts/"_s + contactId), {}, this,
                          [this, contactId](const ApiResult &result) {
                              if (!result.ok()) {
                                  return;
                              }
                              const QJsonObject contact = result.object();
                              for (int row = 0; row < m_items.size(); ++row) {
                                  QJsonObject c = m_items.at(row);
                                  QJsonObject embedded = c.value(u"contact"_s).toObject();
                                  if (embedded.value(u"id"_s).toString() != contactId) {
                                      continue;
                                  }
                                  for (const auto &key : {u"name"_s, u"phone"_s, u"email"_s}) {
                                      embedded.insert(key, contact.value(key));
                                  }
                                  c.insert(u"contact"_s, embedded);
                                  m_items[row] = c;
                                  Q_EMIT dataChanged(index(row), index(row));
                              }
                          });
}

void ConversationListModel::handleEvent(const QString &name, const QJsonObject &payload)
{
    if (!session()) {
        return;
    }
    if (name == u"conversation.updated"_s) {
        apply(payload);
    } else if (name == u"message.new"_s) {
        const QString conversationId = payload.value(u"conversationId"_s).toString();
        const int row = indexOf(conversationId);
        if (row < 0) {
            // Not listed yet (new, or further down than loaded): ask for it whole.
            fetchAndApply(conversationId);
            return;
        }
        QJsonObject c = m_items.at(row);
        const QString at = payload.value(u"createdAt"_s).toString();
        if (at >= c.value(u"lastMessageAt"_s).toString()) {
            c.insert(u"lastMessageAt"_s, at);
            c.insert(u"lastMessagePreview"_s,
                     payload.value(u"body"_s).toString().left(PreviewLength));
        }
        // An inbound message adds one unread in the same transaction, and no
        // conversation.updated says so (docs/api.md, Twilio webhooks "Inbound").
        if (payload.value(u"direction"_s).toString() == u"inbound"_s) {
            c.insert(u"unreadCount"_s, c.value(u"unreadCount"_s).toInt() + 1);
        }
        apply(c);
    } else if (name == u"contact.updated"_s) {
        refreshContact(payload.value(u"contactId"_s).toString());
    } else if (name == u"contact.deleted"_s) {
        const QString contactId = payload.value(u"contactId"_s).toString();
        for (int row = int(m_items.size()) - 1; row >= 0; --row) {
            if (m_items.at(row).value(u"contact"_s).toObject().value(u"id"_s).toString()
                == contactId) {
                removeById(m_items.at(row).value(u"id"_s).toString());
            }
        }
    } else if (name == u"contact.merged"_s) {
        reload(); // the merged contact's conversations moved to the survivor
    }
}

void ConversationListModel::post(const QString &conversationId, const QString &action)
{
    session()->api()->post(session()->teamPath(u"/conversations/"_s + conversationId + action),
                           QJsonObject(), this, [this](const ApiResult &result) {
                               if (result.ok()) {
                                   apply(result.object());
                               } else {
                                   Q_EMIT actionFailed(result.problem.message());
                               }
                           });
}

void ConversationListModel::patch(const QString &conversationId, const QJsonObject &change)
{
    session()->api()->patch(session()->teamPath(u"/conversations/"_s + conversationId), change,
                            this, [this](const ApiResult &result) {
                                if (result.ok()) {
                                    apply(result.object());
                                } else {
                                    Q_EMIT actionFailed(result.problem.message());
                                }
                            });
}

void ConversationListModel::markRead(const QString &conversationId)
{
    post(conversationId, u"/read"_s);
}

void ConversationListModel::markUnread(const QString &conversationId)
{
    post(conversationId, u"/unread"_s);
}

void ConversationListModel::changeStatus(const QString &conversationId, const QString &status)
{
    patch(conversationId, {{u"status"_s, status}});
}

void ConversationListModel::snooze(const QString &conversationId, const QDateTime &until)
{
    patch(conversationId,
          {{u"status"_s, u"snoozed"_s},
           {u"snoozedUntil"_s, until.toUTC().toString(Qt::ISODateWithMs)}});
}

void ConversationListModel::assign(const QString &conversationId, const QString &userId)
{
    patch(conversationId,
          {{u"assigneeId"_s,
            userId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(userId)}});
}

void ConversationListModel::startConversation(const QString &contactId)
{
    session()->api()->post(
            session()->teamPath(u"/conversations"_s), QJsonObject {{u"contactId"_s, contactId}},
            this, [this](const ApiResult &result) {
                if (!result.ok()) {
                    Q_EMIT actionFailed(result.problem.message());
                    return;
                }
                apply(result.object());
                Q_EMIT conversationStarted(result.object().value(u"id"_s).toString());
            });
}
