// SPDX-License-Identifier: MIT
#pragma once

// The team's contacts, newest first, optionally narrowed by `query` (a prefix of a name word, the
// phone or the email, as GET /contacts?q= reads it); live from the contact events. Creating a
// contact goes through here; editing one through ContactDetails.

#include "jsonlistmodel.h"

class ContactModel : public JsonListModel
{
    Q_OBJECT
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        NameRole,
        PhoneRole,
        EmailRole,
        DisplayNameRole,
        OptedOutRole,
        CreatedAtRole,
    };
    Q_ENUM(Roles)

    explicit ContactModel(QObject *parent = nullptr);

    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] QString query() const { return m_query; }
    void setQuery(const QString &query);

    Q_INVOKABLE void createContact(const QString &name, const QString &phone, const QString &email);

Q_SIGNALS:
    void queryChanged();
    void contactCreated(const QString &contactId);
    void actionFailed(const QString &error);

protected:
    [[nodiscard]] QString listPath() const override;
    [[nodiscard]] QUrlQuery listQuery() const override;
    void handleEvent(const QString &name, const QJsonObject &payload) override;

private:
    QString m_query;
};
