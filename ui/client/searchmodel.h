// SPDX-License-Identifier: MIT
#pragma once

// Full-text search over the team's messages and contacts (GET /search?q=), best match first,
// paged like the other lists. A new query is sent after a short pause in typing.

#include "jsonlistmodel.h"

#include <QTimer>

class SearchModel : public JsonListModel
{
    Q_OBJECT
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        KindRole, // "message" or "contact"
        SnippetRole,
        ContactIdRole,
        ContactNameRole,
        ContactPhoneRole,
        ConversationIdRole,
        CreatedAtRole,
        ScoreRole,
    };
    Q_ENUM(Roles)

    explicit SearchModel(QObject *parent = nullptr);

    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] QString query() const { return m_query; }
    void setQuery(const QString &query);
    // Searches now, without waiting for the typing pause.
    Q_INVOKABLE void search(const QString &query);

Q_SIGNALS:
    void queryChanged();

protected:
    [[nodiscard]] QString listPath() const override;
    [[nodiscard]] QUrlQuery listQuery() const override;

private:
    QString m_query;
    QTimer m_debounce;
};
