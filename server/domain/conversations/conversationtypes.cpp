// SPDX-License-Identifier: MIT
#include "conversationtypes.h"

#include "storage/sqlrow.h"

using namespace Qt::StringLiterals;

QString conversationStatusName(ConversationStatus status)
{
    switch (status) {
    case ConversationStatus::Open:
        return u"open"_s;
    case ConversationStatus::Pending:
        return u"pending"_s;
    case ConversationStatus::Resolved:
        return u"resolved"_s;
    case ConversationStatus::Snoozed:
        return u"snoozed"_s;
    }
    return u"open"_s;
}

std::optional<ConversationStatus> parseConversationStatus(const QString &name)
{
    for (ConversationStatus status : {ConversationStatus::Open, ConversationStatus::Pending,
                                      ConversationStatus::Resolved, ConversationStatus::Snoozed}) {
        if (name == conversationStatusName(status)) {
            return status;
        }
    }
    return std::nullopt;
}


QJsonObject contactSummaryJson(const ContactSummary &contact)
{
    return QJsonObject{{u"id"_s, contact.id},
                       {u"name"_s, jsonTextOrNull(contact.name)},
                       {u"phone"_s, jsonTextOrNull(contact.phone)},
                       {u"email"_s, jsonTextOrNull(contact.email)}};
}

QJsonObject conversationJson(const Conversation &c)
{
    return QJsonObject{{u"id"_s, c.id},
                       {u"teamId"_s, c.teamId},
                       {u"inboxId"_s, jsonTextOrNull(c.inboxId)},
                       {u"contact"_s, contactSummaryJson(c.contact)},
                       {u"channel"_s, c.channel},
                       {u"status"_s, conversationStatusName(c.status)},
                       {u"snoozedUntil"_s, isoTimeOrNull(c.snoozedUntil)},
                       {u"assigneeId"_s, jsonTextOrNull(c.assigneeId)},
                       {u"lastMessageAt"_s, isoTimeOrNull(c.lastMessageAt)},
                       {u"lastMessagePreview"_s, jsonTextOrNull(c.lastMessagePreview)},
                       {u"unreadCount"_s, c.unreadCount},
                       {u"createdAt"_s, isoTimeOrNull(c.createdAt)},
                       {u"updatedAt"_s, isoTimeOrNull(c.updatedAt)}};
}
