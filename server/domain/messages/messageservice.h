// SPDX-License-Identifier: MIT
#pragma once
// The message use cases: a conversation's messages (newest first), sending (stored queued or
// scheduled, with its delivery job in the same transaction), and the compatible API's
// contact-centred thread and send; the scheduled messages (list, reschedule, cancel). Delivery
// itself is the job runner's (the Twilio issue). Viewers read; editors send.

#include "core/result.h"
#include "domain/messages/messagetypes.h"
#include "domain/page.h"

#include <QObject>

#include <functional>

class Database;

class MessageService : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Reply = std::function<void(Result<T>)>;

    explicit MessageService(Database *db, QObject *parent = nullptr);

    void list(const QString &actorId, const QString &teamId, const QString &conversationId,
              const PageRequest &page, Reply<Page<Message>> done);
    void send(const QString &actorId, const QString &teamId, const QString &conversationId,
              const OutboundRequest &request, Reply<Message> done);

    // The compatible API: a contact's latest `limit` messages oldest first, and a send to a
    // contact through its unresolved conversation on `channel` (found or opened). An unknown
    // contact is 404 "Contact not found", as the original answered.
    void contactThread(const QString &actorId, const QString &teamId, const QString &contactId,
                       int limit, Reply<QList<Message>> done);
    void sendToContact(const QString &actorId, const QString &teamId, const QString &contactId,
                       const QString &channel, const OutboundRequest &request,
                       Reply<Message> done);

    // ---- Scheduled messages ----
    // A team's scheduled messages, soonest first (of one conversation unless empty). Viewers.
    void listScheduled(const QString &actorId, const QString &teamId,
                       const QString &conversationId, const PageRequest &page,
                       Reply<Page<Message>> done);
    // Reschedules (or re-words) and cancels a scheduled message, only until its delivery job is
    // claimed: the job's conditional update decides against the claim, and the message changes
    // only if the job did, in one transaction. Editors. Not scheduled → 409 `not-scheduled`;
    // claimed meanwhile → 409 `already-sending`.
    void updateScheduled(const QString &actorId, const QString &teamId, const QString &messageId,
                         const ScheduledChange &change, Reply<Message> done);
    void cancelScheduled(const QString &actorId, const QString &teamId, const QString &messageId,
                         Reply<Message> done);

private:
    Database *m_db;
};
