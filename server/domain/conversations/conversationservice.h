// SPDX-License-Identifier: MIT
#pragma once
// The conversation use cases: the inbox list with its filters, find-or-create, one
// conversation, status and assignment changes, read/unread, and the compatible thread list.
// Each database step is one transaction on a database thread; results come back on the thread
// this object lives on (the HTTP thread). Viewers read; editors change.

#include "core/result.h"
#include "domain/conversations/conversationtypes.h"
#include "domain/page.h"
#include "storage/dbconnection.h"

#include <QObject>

#include <functional>

class Database;

struct OpenedConversation
{
    Conversation conversation;
    bool created = false;
};

class ConversationService : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Reply = std::function<void(Result<T>)>;

    explicit ConversationService(Database *db, QObject *parent = nullptr);

    void list(const QString &actorId, const QString &teamId, const ConversationFilter &filter,
              const PageRequest &page, Reply<Page<Conversation>> done);
    // The contact's unresolved conversation on that inbox (or channel), else a new open one.
    // `inboxId` empty: any inbox on `channel`, a new one goes to the team's first inbox on it.
    // `channel` empty: the inbox's, else "sms".
    void open(const QString &actorId, const QString &teamId, const QString &contactId,
              const QString &inboxId, const QString &channel, Reply<OpenedConversation> done);
    void get(const QString &actorId, const QString &teamId, const QString &id,
             Reply<Conversation> done);
    void update(const QString &actorId, const QString &teamId, const QString &id,
                const ConversationChange &change, Reply<Conversation> done);
    void markRead(const QString &actorId, const QString &teamId, const QString &id,
                  Reply<Conversation> done);
    void markUnread(const QString &actorId, const QString &teamId, const QString &id,
                    Reply<Conversation> done);

    // The compatible thread list (teamId: usually kCallersFirstTeam).
    void contactThreads(const QString &actorId, const QString &teamId, int limit,
                        Reply<QList<ContactThread>> done);

    // The team's conversation, or 404 "No such conversation." (in the caller's transaction).
    [[nodiscard]] static Result<Conversation> existing(DbConnection &db, const QString &teamId,
                                                       const QString &id);

    // The database step of open(), inside the caller's transaction (also used by the send of
    // the compatible API). `contact` must be a live contact of the team.
    [[nodiscard]] static Result<OpenedConversation> findOrCreate(DbConnection &db,
                                                                 const QString &teamId,
                                                                 const ContactSummary &contact,
                                                                 const QString &inboxId,
                                                                 const QString &channel);

private:
    void changeUnread(const QString &actorId, const QString &teamId, const QString &id,
                      bool unread, Reply<Conversation> done);

    Database *m_db;
};
