// SPDX-License-Identifier: MIT
#include "contactmodel.h"

#include "apiclient.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

ContactModel::ContactModel(QObject *parent)
    : JsonListModel(parent)
{
}

QHash<int, QByteArray> ContactModel::roleNames() const
{
    return {
            {IdRole, "contactId"},
            {NameRole, "name"},
            {PhoneRole, "phone"},
            {EmailRole, "email"},
            {DisplayNameRole, "displayName"},
            {OptedOutRole, "optedOut"},
            {CreatedAtRole, "createdAt"},
    };
}

QVariant ContactModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size()) {
        return {};
    }
    const QJsonObject &c = m_items.at(index.row());
    switch (role) {
    case IdRole:
        return c.value(u"id"_s).toString();
    case NameRole:
        return c.value(u"name"_s).toString();
    case PhoneRole:
        return c.value(u"phone"_s).toString();
    case EmailRole:
        return c.value(u"email"_s).toString();
    case DisplayNameRole:
        for (const auto &key : {u"name"_s, u"phone"_s, u"email"_s}) {
            const QString value = c.value(key).toString();
            if (!value.isEmpty()) {
                return value;
            }
        }
        return QString();
    case OptedOutRole:
        return c.value(u"optedOut"_s).toBool();
    case CreatedAtRole:
        return QDateTime::fromString(c.value(u"createdAt"_s).toString(), Qt::ISODateWithMs);
    default:
        return {};
    }
}

void ContactModel::setQuery(const QString &query)
{
    if (m_query != query) {
        m_query = query;
        Q_EMIT queryChanged();
        reload();
    }
}

QString ContactModel::listPath() const
{
    return session() ? session()->teamPath(u"/contacts"_s) : QString();
}

QUrlQuery ContactModel::listQuery() const
{
    QUrlQuery query;
    if (!m_query.trimmed().isEmpty()) {
        query.addQueryItem(u"q"_s, m_query.trimmed());
    }
    return query;
}

void ContactModel::handleEvent(const QString &name, const QJsonObject &payload)
{
    if (!session()) {
        return;
    }
    if (name == u"contact.updated"_s) {
        const QString id = payload.value(u"contactId"_s).toString();
        // A filtered list cannot tell whether a changed contact still matches: ask the server.
        if (!m_query.trimmed().isEmpty()) {
            reload();
            return;
        }
        session()->api()->get(session()->teamPath(u"/contacts/"_s + id), {}, this,
                              [this](const ApiResult &result) {
                                  if (result.ok()) {
                                      upsert(result.object());
                                  }
                              });
    } else if (name == u"contact.deleted"_s) {
        removeById(payload.value(u"contactId"_s).toString());
    } else if (name == u"contact.merged"_s) {
        removeById(payload.value(u"mergedId"_s).toString());
    }
}

void ContactModel::createContact(const QString &name, const QString &phone, const QString &email)
{
    QJsonObject body;
    if (!name.trimmed().isEmpty()) {
        body.insert(u"name"_s, name.trimmed());
    }
    if (!phone.trimmed().isEmpty()) {
        body.insert(u"phone"_s, phone.trimmed());
    }
    if (!email.trimmed().isEmpty()) {
        body.insert(u"email"_s, email.trimmed());
    }
    session()->api()->post(session()->teamPath(u"/contacts"_s), body, this,
                           [this](const ApiResult &result) {
                               if (!result.ok()) {
                                   Q_EMIT actionFailed(result.problem.message());
                                   return;
                               }
                               if (m_query.trimmed().isEmpty()) {
                                   upsert(result.object());
                               }
                               Q_EMIT contactCreated(result.object().value(u"id"_s).toString());
                           });
}
