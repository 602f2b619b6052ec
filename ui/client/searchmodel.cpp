// SPDX-License-Identifier: MIT
#include "searchmodel.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace {
constexpr int TypingPauseMs = 250;
}

SearchModel::SearchModel(QObject *parent)
    : JsonListModel(parent)
{
    setPageSize(20);
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(TypingPauseMs);
    connect(&m_debounce, &QTimer::timeout, this, &JsonListModel::reload);
}

QHash<int, QByteArray> SearchModel::roleNames() const
{
    return {
            {IdRole, "resultId"},
            {KindRole, "kind"},
            {SnippetRole, "snippet"},
            {ContactIdRole, "contactId"},
            {ContactNameRole, "contactName"},
            {ContactPhoneRole, "contactPhone"},
            {ConversationIdRole, "conversationId"},
            {CreatedAtRole, "createdAt"},
            {ScoreRole, "score"},
    };
}

QVariant SearchModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size()) {
        return {};
    }
    const QJsonObject &r = m_items.at(index.row());
    const QJsonObject contact = r.value(u"contact"_s).toObject();
    switch (role) {
    case IdRole:
        return r.value(u"id"_s).toString();
    case KindRole:
        return r.value(u"kind"_s).toString();
    case SnippetRole:
        return r.value(u"snippet"_s).toString();
    case ContactIdRole:
        return contact.value(u"id"_s).toString();
    case ContactNameRole: {
        const QString name = contact.value(u"name"_s).toString();
        return name.isEmpty() ? contact.value(u"phone"_s).toString() : name;
    }
    case ContactPhoneRole:
        return contact.value(u"phone"_s).toString();
    case ConversationIdRole:
        return r.value(u"conversationId"_s).toString();
    case CreatedAtRole:
        return QDateTime::fromString(r.value(u"createdAt"_s).toString(), Qt::ISODateWithMs);
    case ScoreRole:
        return r.value(u"score"_s).toDouble();
    default:
        return {};
    }
}

void SearchModel::setQuery(const QString &query)
{
    if (m_query != query) {
        m_query = query;
        Q_EMIT queryChanged();
        m_debounce.start();
    }
}

void SearchModel::search(const QString &query)
{
    m_debounce.stop();
    if (m_query != query) {
        m_query = query;
        Q_EMIT queryChanged();
    }
    reload();
}

QString SearchModel::listPath() const
{
    if (!session() || m_query.trimmed().isEmpty()) {
        return {};
    }
    return session()->teamPath(u"/search"_s);
}

QUrlQuery SearchModel::listQuery() const
{
    QUrlQuery query;
    query.addQueryItem(u"q"_s, m_query.trimmed());
    return query;
}
