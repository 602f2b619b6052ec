// SPDX-License-Identifier: MIT
#include "inboxcredentialsmodel.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

int InboxCredentialsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_inboxes.size());
}

QVariant InboxCredentialsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_inboxes.size()) {
        return {};
    }
    const QJsonObject inbox = m_inboxes.at(index.row()).toObject();
    const QString id = inbox.value(u"id"_s).toString();
    switch (role) {
    case InboxIdRole:
        return id;
    case NameRole:
        return inbox.value(u"name"_s).toString();
    case ChannelRole:
        return inbox.value(u"channel"_s).toString();
    case AddressRole:
        return inbox.value(u"address"_s).toString();
    case AccountSidRole:
        return inbox.value(u"accountSid"_s).toString();
    case CredentialsSetRole:
        return inbox.value(u"credentialsSet"_s).toBool();
    case TestMessageRole:
        return m_tests.value(id).message;
    case TestOkRole:
        return m_tests.value(id).ok;
    default:
        return {};
    }
}

QHash<int, QByteArray> InboxCredentialsModel::roleNames() const
{
    return {{InboxIdRole, "inboxId"},
            {NameRole, "name"},
            {ChannelRole, "channel"},
            {AddressRole, "address"},
            {AccountSidRole, "accountSid"},
            {CredentialsSetRole, "credentialsSet"},
            {TestMessageRole, "testMessage"},
            {TestOkRole, "testOk"}};
}

void InboxCredentialsModel::setInboxes(const QJsonArray &inboxes)
{
    beginResetModel();
    m_inboxes = inboxes;
    endResetModel();
}

void InboxCredentialsModel::updateInbox(const QJsonObject &inbox)
{
    const QString id = inbox.value(u"id"_s).toString();
    for (qsizetype i = 0; i < m_inboxes.size(); ++i) {
        if (m_inboxes.at(i).toObject().value(u"id"_s).toString() == id) {
            m_inboxes.replace(i, inbox);
            Q_EMIT dataChanged(index(int(i)), index(int(i)));
            return;
        }
    }
}

void InboxCredentialsModel::setTestResult(const QString &inboxId, bool ok, const QString &message)
{
    m_tests.insert(inboxId, {ok, message});
    for (qsizetype i = 0; i < m_inboxes.size(); ++i) {
        if (m_inboxes.at(i).toObject().value(u"id"_s).toString() == inboxId) {
            Q_EMIT dataChanged(index(int(i)), index(int(i)), {TestMessageRole, TestOkRole});
            return;
        }
    }
}

QString InboxCredentialsModel::inboxId(int row) const
{
    return m_inboxes.at(row).toObject().value(u"id"_s).toString();
}
