// SPDX-License-Identifier: MIT
#pragma once
// The team's members as the settings window lists them (GET /api/v1/teams/{id}/members).

#include <QAbstractListModel>
#include <QJsonArray>
#include <QtQml/qqmlregistration.h>

class TeamMembersModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by SettingsController")
public:
    enum Role { UserIdRole = Qt::UserRole + 1, EmailRole, NameRole, MemberRoleRole };
    Q_ENUM(Role)

    using QAbstractListModel::QAbstractListModel;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    // Replaces the rows with the API's `data` array.
    void setMembers(const QJsonArray &members);
    // Updates one member (the API's answer to a role change).
    void updateMember(const QJsonObject &member);
    void removeMember(const QString &userId);

private:
    QJsonArray m_members;
};
