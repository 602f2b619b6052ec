// SPDX-License-Identifier: MIT
#pragma once
// SQL for conversations, the compatible thread list, and the read-only look-ups of contacts and
// inboxes that conversations, messages and notes need. Runs on a database thread; callers own
// the transaction.

#include "core/result.h"
#include "domain/conversations/conversationtypes.h"
#include "domain/page.h"
#include "storage/dbconnection.h"

namespace ConversationStore {

// A contact of the team (merged ones included: callers decide what a merge means to them).
[[nodiscard]] Result<std::optional<ContactSummary>> contact(DbConnection &db, const QString &teamId,
                                                            const QString &contactId);
// The channel of an inbox of the team, or nullopt when the team has no such inbox.
[[nodiscard]] Result<std::optional<QString>> inboxChannel(DbConnection &db, const QString &teamId,
                                                          const QString &inboxId);
// The team's first inbox on `channel`, where a conversation opened without one is routed.
[[nodiscard]] Result<std::optional<QString>> defaultInbox(DbConnection &db, const QString &teamId,
                                                          const QString &channel);

[[nodiscard]] Result<std::optional<Conversation>> byId(DbConnection &db, const QString &teamId,
                                                       const QString &id);
// The newest conversation of the contact on `channel` that is not resolved; with `inboxId`, in
// that inbox only.
[[nodiscard]] Result<std::optional<QString>> findUnresolved(DbConnection &db, const QString &teamId,
                                                            const QString &contactId,
                                                            const QString &channel,
                                                            const QString &inboxId);
// On PostgreSQL, serialises find-or-create for one contact until the transaction ends (SQLite's
// single writer already does).
[[nodiscard]] Status lockContact(DbConnection &db, const QString &contactId);
[[nodiscard]] Status insert(DbConnection &db, const Conversation &conversation);
// Newest activity first, keyset on (last_message_at, id); the cursor's key must be checked
// (checkTimeCursor) before it gets here.
[[nodiscard]] Result<Page<Conversation>> list(DbConnection &db, const QString &teamId,
                                              const ConversationFilter &filter,
                                              const PageRequest &page);
[[nodiscard]] Status update(DbConnection &db, const Conversation &conversation);
[[nodiscard]] Status setUnreadCount(DbConnection &db, const QString &id, int count);
// A new message in the conversation: its time and text become the list's sort key and preview.
[[nodiscard]] Status recordActivity(DbConnection &db, const QString &id, const QDateTime &at,
                                    const QString &preview);

// The newest conversation of the contact on `channel` in `inboxId` (empty: any), whatever its
// status: an inbound message continues it (reopening it when resolved or snoozed).
struct ConversationRef
{
    QString id;
    QString status;
};
[[nodiscard]] Result<std::optional<ConversationRef>> findLatest(DbConnection &db,
                                                                const QString &teamId,
                                                                const QString &contactId,
                                                                const QString &channel,
                                                                const QString &inboxId);
// An inbound message in the conversation: activity and preview as recordActivity(), one more
// unread, and the conversation open again (a snooze ends).
[[nodiscard]] Status recordInbound(DbConnection &db, const QString &id, const QDateTime &at,
                                   const QString &preview);

// The compatible thread list: the team's contacts (not merged away) with their latest message,
// newest activity first, in one statement (no query per contact).
[[nodiscard]] Result<QList<ContactThread>> contactThreads(DbConnection &db, const QString &teamId,
                                                          int limit);

// ---- Snooze wake-up (domain/conversations/snoozewake.h) ----

// Opens the conversation (snoozed_until cleared) if it is still snoozed and its snooze is over
// at `now`; true when it did. A snooze changed or ended meanwhile leaves it alone.
[[nodiscard]] Result<bool> wakeIfDue(DbConnection &db, const QString &teamId, const QString &id,
                                     const QDateTime &now);
// Snoozed conversations whose snooze is over at `now`, soonest first, at most `limit`.
struct ConversationKey
{
    QString teamId;
    QString id;
};
[[nodiscard]] Result<QList<ConversationKey>> overdueSnoozes(DbConnection &db, const QDateTime &now,
                                                            int limit);

} // namespace ConversationStore
