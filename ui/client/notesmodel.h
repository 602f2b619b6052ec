// SPDX-License-Identifier: MIT
#pragma once

// The notes of a conversation (or of a contact), newest first, kept live from `note_added`,
// `note_updated` and `note.deleted`; add, edit and delete.

#include "jsonlistmodel.h"

class NotesModel : public JsonListModel
{
    Q_OBJECT
    Q_PROPERTY(
            QString conversationId READ conversationId WRITE setConversationId NOTIFY scopeChanged)
    Q_PROPERTY(QString contactId READ contactId WRITE setContactId NOTIFY scopeChanged)

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        ContentRole,
        AuthorIdRole,
        AuthorNameRole,
        PrivateRole,
        CreatedAtRole,
        UpdatedAtRole,
        MineRole,
    };
    Q_ENUM(Roles)

    explicit NotesModel(QObject *parent = nullptr);

    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] QString conversationId() const { return m_conversationId; }
    void setConversationId(const QString &id);
    [[nodiscard]] QString contactId() const { return m_contactId; }
    void setContactId(const QString &id);

    Q_INVOKABLE void addNote(const QString &content, bool isPrivate = false);
    Q_INVOKABLE void editNote(const QString &noteId, const QString &content);
    Q_INVOKABLE void removeNote(const QString &noteId);

Q_SIGNALS:
    void scopeChanged();
    void noteAdded(const QString &noteId);
    void actionFailed(const QString &error);

protected:
    [[nodiscard]] QString listPath() const override;
    [[nodiscard]] QUrlQuery listQuery() const override;
    void handleEvent(const QString &name, const QJsonObject &payload) override;

private:
    [[nodiscard]] bool inScope(const QJsonObject &note) const;

    QString m_conversationId;
    QString m_contactId;
};
