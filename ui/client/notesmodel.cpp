// SPDX-License-Identifier: MIT
#include "notesmodel.h"

#include "apiclient.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

NotesModel::NotesModel(QObject *parent)
    : JsonListModel(parent)
{
}

QHash<int, QByteArray> NotesModel::roleNames() const
{
    return {
            {IdRole, "noteId"},           {ContentRole, "content"},
            {AuthorIdRole, "authorId"},   {AuthorNameRole, "authorName"},
            {PrivateRole, "isPrivate"},   {CreatedAtRole, "createdAt"},
            {UpdatedAtRole, "updatedAt"}, {MineRole, "mine"},
    };
}

QVariant NotesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size()) {
        return {};
    }
    const QJsonObject &n = m_items.at(index.row());
    const QJsonObject author = n.value(u"author"_s).toObject();
    switch (role) {
    case IdRole:
        return n.value(u"id"_s).toString();
    case ContentRole:
        return n.value(u"content"_s).toString();
    case AuthorIdRole:
        return author.value(u"id"_s).toString();
    case AuthorNameRole:
        return author.value(u"name"_s).toString();
    case PrivateRole:
        return n.value(u"isPrivate"_s).toBool();
    case CreatedAtRole:
        return QDateTime::fromString(n.value(u"createdAt"_s).toString(), Qt::ISODateWithMs);
    case UpdatedAtRole:
        return QDateTime::fromString(n.value(u"updatedAt"_s).toString(), Qt::ISODateWithMs);
    case MineRole:
        return session() && author.value(u"id"_s).toString() == session()->userId();
    default:
        return {};
    }
}

void NotesModel::setConversationId(const QString &id)
{
    if (m_conversationId != id) {
        m_conversationId = id;
        Q_EMIT scopeChanged();
        reload();
    }
}

void NotesModel::setContactId(const QString &id)
{
    if (m_contactId != id) {
        m_contactId = id;
        Q_EMIT scopeChanged();
        reload();
    }
}

QString NotesModel::listPath() const
{
    if (!session() || (m_conversationId.isEmpty() && m_contactId.isEmpty())) {
        return {};
    }
    return session()->teamPath(u"/notes"_s);
}

QUrlQuery NotesModel::listQuery() const
{
    QUrlQuery query;
    if (!m_conversationId.isEmpty()) {
        query.addQueryItem(u"conversationId"_s, m_conversationId);
    }
    if (!m_contactId.isEmpty()) {
        query.addQueryItem(u"contactId"_s, m_contactId);
    }
    return query;
}

bool NotesModel::inScope(const QJsonObject &note) const
{
    if (session() && note.value(u"teamId"_s).toString() != session()->teamId()) {
        return false;
    }
    if (!m_conversationId.isEmpty()
        && note.value(u"conversationId"_s).toString() != m_conversationId) {
        return false;
    }
    if (!m_contactId.isEmpty() && note.value(u"contactId"_s).toString() != m_contactId) {
        return false;
    }
    return !m_conversationId.isEmpty() || !m_contactId.isEmpty();
}

void NotesModel::handleEvent(const QString &name, const QJsonObject &payload)
{
    if (name == u"note_added"_s || name == u"note_updated"_s) {
        if (inScope(payload)) {
            upsert(payload);
        }
    } else if (name == u"note.deleted"_s) {
        removeById(payload.value(u"id"_s).toString());
    }
}

void NotesModel::addNote(const QString &content, bool isPrivate)
{
    if (!session()) {
        return;
    }
    QJsonObject body {{u"content"_s, content}, {u"isPrivate"_s, isPrivate}};
    if (!m_conversationId.isEmpty()) {
        body.insert(u"conversationId"_s, m_conversationId);
    }
    if (!m_contactId.isEmpty()) {
        body.insert(u"contactId"_s, m_contactId);
    }
    session()->api()->post(session()->teamPath(u"/notes"_s), body, this,
                           [this](const ApiResult &result) {
                               if (!result.ok()) {
                                   Q_EMIT actionFailed(result.problem.message());
                                   return;
                               }
                               upsert(result.object());
                               Q_EMIT noteAdded(result.object().value(u"id"_s).toString());
                           });
}

void NotesModel::editNote(const QString &noteId, const QString &content)
{
    session()->api()->patch(session()->teamPath(u"/notes/"_s + noteId),
                            QJsonObject {{u"content"_s, content}}, this,
                            [this](const ApiResult &result) {
                                if (result.ok()) {
                                    upsert(result.object());
                                } else {
                                    Q_EMIT actionFailed(result.problem.message());
                                }
                            });
}

void NotesModel::removeNote(const QString &noteId)
{
    session()->api()->deleteResource(session()->teamPath(u"/notes/"_s + noteId), this,
                                     [this, noteId](const ApiResult &result) {
                                         if (result.ok()) {
                                             removeById(noteId);
                                         } else {
                                             Q_EMIT actionFailed(result.problem.message());
                                         }
                                     });
}
