// SPDX-License-Identifier: MIT
#pragma once

// The team's conversations, newest activity first, as GET /conversations pages them, with the
// route's filters (inbox, status, assignee or unassigned, unread, contact). Kept current from the
// real-time channel: `conversation.updated` replaces a row (or adds it, or drops it when it no
// longer passes the filters), `message.new` moves its conversation to the top with the new
// preview, contact events refresh or drop the contact's rows.

#include "jsonlistmodel.h"

class ConversationListModel : public JsonListModel
{
    Q_OBJECT
    Q_PROPERTY(QString inboxId READ inboxId WRITE setInboxId NOTIFY filtersChanged)
    Q_PROPERTY(QString status READ status WRITE setStatus NOTIFY filtersChanged)
    Q_PROPERTY(QString assigneeId READ assigneeId WRITE setAssigneeId NOTIFY filtersChanged)
    Q_PROPERTY(bool unassigned READ unassigned WRITE setUnassigned NOTIFY filtersChanged)
    Q_PROPERTY(bool unreadOnly READ unreadOnly WRITE setUnreadOnly NOTIFY filtersChanged)
    Q_PROPERTY(QString contactId READ contactId WRITE setContactId NOTIFY filtersChanged)
    // Over the loaded rows: conversations with unread messages, and unread messages.
    Q_PROPERTY(int unreadConversations READ unreadConversations NOTIFY unreadChanged)
    Q_PROPERTY(int unreadMessages READ unreadMessages NOTIFY unreadChanged)

public:
    enum Roles {
        IdRole = Qt::UserRole + 1,
        ContactIdRole,
        ContactNameRole, // name, else phone, else email
        ContactPhoneRole,
        ChannelRole,
        StatusRole,
        AssigneeIdRole,
        InboxIdRole,
        LastMessageAtRole, // QDateTime
        PreviewRole,
        UnreadCountRole,
        SnoozedUntilRole,
    };
    Q_ENUM(Roles)

    explicit ConversationListModel(QObject *parent = nullptr);

    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] QString inboxId() const { return m_inboxId; }
    void setInboxId(const QString &id);
    [[nodiscard]] QString status() const { return m_status; }
    void setStatus(const QString &status);
    [[nodiscard]] QString assigneeId() const { return m_assigneeId; }
    void setAssigneeId(const QString &id);
    [[nodiscard]] bool unassigned() const { return m_unassigned; }
    void setUnassigned(bool unassigned);
    [[nodiscard]] bool unreadOnly() const { return m_unreadOnly; }
    void setUnreadOnly(bool unreadOnly);
    [[nodiscard]] QString contactId() const { return m_contactId; }
    void setContactId(const QString &id);
    [[nodiscard]] int unreadConversations() const;
    [[nodiscard]] int unreadMessages() const;

    // Whether a conversation (the API's JSON) passes the current filters.
    [[nodiscard]] bool accepts(const QJsonObject &conversation) const;

    Q_INVOKABLE void markRead(const QString &conversationId);
    Q_INVOKABLE void markUnread(const QString &conversationId);
    // "open", "pending", "resolved"; snoozing goes through snooze().
    Q_INVOKABLE void changeStatus(const QString &conversationId, const QString &status);
    Q_INVOKABLE void snooze(const QString &conversationId, const QDateTime &until);
    // An empty id unassigns.
    Q_INVOKABLE void assign(const QString &conversationId, const QString &userId);
    // The contact's unresolved conversation, or a new one: conversationStarted(id) follows.
    Q_INVOKABLE void startConversation(const QString &contactId);

Q_SIGNALS:
    void filtersChanged();
    void unreadChanged();
    void conversationStarted(const QString &conversationId);
    void actionFailed(const QString &error);

protected:
    [[nodiscard]] QString listPath() const override;
    [[nodiscard]] QUrlQuery listQuery() const override;
    [[nodiscard]] bool before(const QJsonObject &a, const QJsonObject &b) const override;
    void handleEvent(const QString &name, const QJsonObject &payload) override;

private:
    void apply(const QJsonObject &conversation);
    void fetchAndApply(const QString &conversationId);
    void refreshContact(const QString &contactId);
    void post(const QString &conversationId, const QString &action);
    void patch(const QString &conversationId, const QJsonObject &change);
    void filtersUpdated();

    QString m_inboxId;
    QString m_status;
    QString m_assigneeId;
    bool m_unassigned = false;
    bool m_unreadOnly = false;
    QString m_contactId;
};
