// SPDX-License-Identifier: MIT
#include "teammembersmodel.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

int TeamMembersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_members.size());
}

QVariant TeamMembersModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_members.size()) {
        return {};
    }
    const QJsonObject member = m_members.at(index.row()).toObject();
    switch (role) {
    case UserIdRole:
        return member.value(u"userId"_s).toString();
    case EmailRole:
        return member.value(u"email"_s).toString();
    case NameRole:
        return member.value(u"name"_s).toString();
    case MemberRoleRole:
        return member.value(u"role"_s).toString();
    default:
        return {};
    }
}

QHash<int, QByteArray> TeamMembersModel::roleNames() const
{
    return {{UserIdRole, "userId"}, {EmailRole, "email"}, {NameRole, "name"}, {MemberRoleRole, "role"}};
}

void TeamMembersModel::setMembers(const QJsonArray &members)
{
    beginResetModel();
    m_members = members;
    endResetModel();
}

void TeamMembersModel::updateMember(const QJsonObject &member)
{
    const QString id = member.value(u"userId"_s).toString();
    for (qsizetype i = 0; i < m_members.size(); ++i) {
        if (m_members.at(i).toObject().value(u"userId"_s).toString() == id) {
            m_members.replace(i, member);
            Q_EMIT dataChanged(index(int(i)), index(int(i)));
            return;
        }
    }
    beginInsertRows({}, int(m_members.size()), int(m_members.size()));
    m_members.append(member);
    endInsertRows();
}

void TeamMembersModel::removeMember(const QString &userId)
{
    for (qsizetype i = 0; i < m_members.size(); ++i) {
        if (m_members.at(i).toObject().value(u"userId"_s).toString() == userId) {
            beginRemoveRows({}, int(i), int(i));
            m_members.removeAt(i);
            endRemoveRows();
            return;
        }
    }
}
