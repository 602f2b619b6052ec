// SPDX-License-Identifier: MIT
#pragma once
// The inbox use cases: list, read, create, change and delete a team's channel endpoints. Reads
// need the viewer role, writes the admin role. Credentials go to the SecretStore, never to a
// column; each change records `inbox.updated` in the same transaction.

#include "core/result.h"
#include "domain/inboxes/inboxtypes.h"
#include "domain/page.h"

#include <QObject>

#include <functional>

class Database;
class SecretStore;

class InboxService : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Reply = std::function<void(Result<T>)>;

    // `secrets` must outlive the service; it is used on the database threads (it is thread-safe).
    InboxService(Database *db, const SecretStore *secrets, QObject *parent = nullptr);

    void list(const QString &actorId, const QString &teamId, const PageRequest &page,
              Reply<Page<Inbox>> done);
    void get(const QString &actorId, const QString &teamId, const QString &inboxId,
             Reply<Inbox> done);
    void create(const QString &actorId, const QString &teamId, const InboxDraft &draft,
                Reply<Inbox> done);
    void update(const QString &actorId, const QString &teamId, const QString &inboxId,
                const InboxChange &change, Reply<Inbox> done);
    void remove(const QString &actorId, const QString &teamId, const QString &inboxId,
                Reply<Done> done);
    // The Twilio credentials of the team's first inbox (oldest) that has an account SID and a
    // stored auth token; nullopt when none has. Viewer role: the secret goes to a Twilio call,
    // never to the caller. `teamId` may be kCallersFirstTeam (domain/conversations/teamscope.h).
    void firstCredentials(const QString &actorId, const QString &teamId,
                          Reply<std::optional<InboxCredentials>> done);

Q_SIGNALS:
    // An inbox was created, changed or deleted (after the commit), so cached lookups go stale.
    void inboxesChanged();

private:
    Database *m_db;
    const SecretStore *m_secrets;
};
