// SPDX-License-Identifier: MIT
#pragma once
// The conversation model shared by the storage, domain and API layers. A conversation is one
// contact's exchange on one channel (and inbox); the original backend had none (its "thread" is
// a contact), so the compatible API derives its thread view from contacts and messages.

#include "core/jsonvalues.h"
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

enum class ConversationStatus { Open, Pending, Resolved, Snoozed };

[[nodiscard]] QString conversationStatusName(ConversationStatus status); // "open"
[[nodiscard]] std::optional<ConversationStatus> parseConversationStatus(const QString &name);

// The contact fields a conversation, a message or a note needs (the contacts table is owned by
// the contacts module; these are read-only here).
struct ContactSummary
{
    QString id;
    QString teamId;
    QString name;
    QString phone;
    QString email;
    QString mergedInto;
    QDateTime optedOutAt; // invalid when the contact has not opted out
};

struct Conversation
{
    QString id;
    QString teamId;
    QString inboxId;
    ContactSummary contact;
    QString channel; // sms, whatsapp, voice (imported rows may carry others)
    ConversationStatus status = ConversationStatus::Open;
    QDateTime snoozedUntil;
    QString assigneeId;
    QDateTime lastMessageAt; // = createdAt until the first message, so the list sorts on one key
    QString lastMessagePreview;
    int unreadCount = 0;
    QDateTime createdAt;
    QDateTime updatedAt;
};

// The list's filters; empty strings and false mean "no filter".
struct ConversationFilter
{
    QString inboxId;
    std::optional<ConversationStatus> status;
    QString assigneeId;
    bool unassignedOnly = false;
    bool unreadOnly = false;
    QString contactId;
};

// A PATCH: fields left nullopt stay as they are.
struct ConversationChange
{
    std::optional<ConversationStatus> status;
    std::optional<QDateTime> snoozedUntil;     // only with status snoozed
    std::optional<QString> assigneeId;         // "" unassigns
};

// One row of the compatible thread list: a contact and its latest message.
struct ContactThread
{
    ContactSummary contact;
    QString snippet;
    QString channel;     // of the latest message; empty when there is none
    QDateTime updatedAt; // the latest message's time, else the contact's updated_at
    qint64 unread = 0;   // unread messages over the contact's conversations
};

// The /api/v1 shape, also the payload of the `conversation.updated` event.
[[nodiscard]] QJsonObject conversationJson(const Conversation &conversation);
[[nodiscard]] QJsonObject contactSummaryJson(const ContactSummary &contact);
// ISO-8601 UTC with milliseconds, or null for an invalid time.
// The text, or null when it is empty (absent values are null in JSON, never "").
