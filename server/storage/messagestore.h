// SPDX-License-Identifier: MIT
#pragma once
// SQL for messages. Runs on a database thread; callers own the transaction. Never REPLACE INTO
// messages: the SQLite full-text index follows the rowid through triggers (0001_initial.sql).

#include "core/result.h"
#include "domain/messages/messagetypes.h"
#include "domain/page.h"
#include "storage/dbconnection.h"

namespace MessageStore {

// The columns a Message is read from ("m.id, m.team_id, ..." with `alias` "m"), and the
// Message in a row that selected them (for queries that join messages to other tables).
[[nodiscard]] QString columns(const QString &alias = {});
[[nodiscard]] Message messageFrom(const SqlRow &row);

[[nodiscard]] Status insert(DbConnection &db, const Message &message);
[[nodiscard]] Result<std::optional<Message>> byId(DbConnection &db, const QString &teamId,
                                                  const QString &id);
// A conversation's messages newest first, keyset on (created_at, id); the cursor's key must be
// checked (checkTimeCursor) before it gets here.
[[nodiscard]] Result<Page<Message>> listByConversation(DbConnection &db,
                                                       const QString &conversationId,
                                                       const PageRequest &page);
// The latest `limit` messages of a contact, oldest first (the compatible thread view).
[[nodiscard]] Result<QList<Message>> latestOfContact(DbConnection &db, const QString &teamId,
                                                     const QString &contactId, int limit);
// Rewrites a message's media items (the media download job's outcome); false when no such row.
[[nodiscard]] Result<bool> updateMedia(DbConnection &db, const QString &teamId, const QString &id,
                                       const QList<MediaItem> &media);

// Rewrites what a message says (a call's entry when more is known: "Missed call" becomes the
// voicemail); false when no such row.
[[nodiscard]] Result<bool> updateContent(DbConnection &db, const QString &teamId,
                                         const QString &id, const QString &body,
                                         const QList<MediaItem> &media,
                                         const QJsonObject &metadata);

// Writes the delivery state (status, provider_sid, error_code/text, sent_at, delivered_at) and
// its `message.updated` event (`event`: the message as the API shows it), in one round trip on
// PostgreSQL (EventStore::appendOnChange). false when no such row.
[[nodiscard]] Result<bool> updateDeliveryAnnounced(DbConnection &db, const Message &message,
                                                   const QJsonObject &event);
// Writes the delivery state, returning the message as it is after the write (nullopt: no such message):
// one statement instead of a read and a write.
[[nodiscard]] Result<std::optional<Message>> updateDeliveryReturning(DbConnection &db,
                                                                     const Message &message);
// Whether a message with the provider's `sid` is stored (the webhooks' duplicate check: one
// index probe, no row read).
[[nodiscard]] Result<bool> providerSidTaken(DbConnection &db, const QString &provider,
                                            const QString &sid);
// The message a provider knows by `sid` (Twilio's MessageSid), in any team.
[[nodiscard]] Result<std::optional<Message>> byProviderSid(DbConnection &db,
                                                           const QString &provider,
                                                           const QString &sid);

// ---- Scheduled messages ----
// A team's messages still `scheduled`, soonest scheduled_at first, keyset on (scheduled_at, id)
// (the cursor's key checked by checkTimeCursor); only those of `conversationId` unless empty.
[[nodiscard]] Result<Page<Message>> listScheduled(DbConnection &db, const QString &teamId,
                                                  const QString &conversationId,
                                                  const PageRequest &page);
// Changes a message that is still `scheduled`: its time (unless invalid) and its body (unless
// null). false when it is not scheduled (any more) or not there; nothing changed.
[[nodiscard]] Result<bool> updateScheduled(DbConnection &db, const QString &teamId,
                                           const QString &id, const QDateTime &scheduledAt,
                                           const QString &body);
// A `scheduled` message becomes `canceled`; false when it is not scheduled (any more).
[[nodiscard]] Result<bool> cancelScheduled(DbConnection &db, const QString &teamId,
                                           const QString &id);

} // namespace MessageStore
