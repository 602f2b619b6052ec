// SPDX-License-Identifier: MIT
#pragma once
// The team's inboxes with their Twilio credentials state (GET /api/v1/teams/{id}/inboxes) and
// the outcome of the last "Test credentials" per inbox. Auth tokens are never here: the API
// only says whether one is stored (credentialsSet).

#include <QAbstractListModel>
#include <QHash>
#include <QJsonArray>
#include <QtQml/qqmlregistration.h>

class InboxCredentialsModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by SettingsController")
public:
    enum Role {
        InboxIdRole = Qt::UserRole + 1,
        NameRole,
        ChannelRole,
        AddressRole,
        AccountSidRole,
        CredentialsSetRole,
        TestMessageRole,
        TestOkRole,
    };
    Q_ENUM(Role)

    using QAbstractListModel::QAbstractListModel;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    void setInboxes(const QJsonArray &inboxes);
    void updateInbox(const QJsonObject &inbox);
    void setTestResult(const QString &inboxId, bool ok, const QString &message);
    [[nodiscard]] QString inboxId(int row) const;

private:
    struct TestResult
    {
        bool ok = false;
        QString message;
    };
    QJsonArray m_inboxes;
    QHash<QString, TestResult> m_tests;
};
