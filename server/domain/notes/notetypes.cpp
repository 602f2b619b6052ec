// SPDX-License-Identifier: MIT
#include "notetypes.h"

#include "domain/conversations/conversationtypes.h"

using namespace Qt::StringLiterals;

QJsonObject noteJson(const Note &n)
{
    const QJsonValue author = n.authorId.isEmpty()
        ? QJsonValue(QJsonValue::Null)
        : QJsonValue(QJsonObject{{u"id"_s, n.authorId}, {u"name"_s, jsonTextOrNull(n.authorName)}});
    return QJsonObject{{u"id"_s, n.id},
                       {u"teamId"_s, n.teamId},
                       {u"contactId"_s, jsonTextOrNull(n.contactId)},
                       {u"conversationId"_s, jsonTextOrNull(n.conversationId)},
                       {u"content"_s, n.content},
                       {u"isPrivate"_s, n.isPrivate},
                       {u"author"_s, author},
                       {u"createdAt"_s, isoTimeOrNull(n.createdAt)},
                       {u"updatedAt"_s, isoTimeOrNull(n.updatedAt)}};
}
