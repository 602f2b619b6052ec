// SPDX-License-Identifier: MIT
#include "snoozewake.h"

#include "storage/conversationstore.h"
#include "storage/eventstore.h"
#include "storage/jobstore.h"
#include "storage/sqlrow.h"

using namespace Qt::StringLiterals;

namespace SnoozeWake {

Status schedule(DbConnection &db, const Conversation &conversation)
{
    const NewJob job{QString::fromLatin1(JobKind),
                     QJsonObject{{u"conversationId"_s, conversation.id},
                                 {u"teamId"_s, conversation.teamId},
                                 {u"snoozedUntil"_s, isoUtc(conversation.snoozedUntil)}},
                     conversation.snoozedUntil,
                     u"wake:%1:%2"_s.arg(conversation.id, isoUtc(conversation.snoozedUntil)),
                     conversation.teamId};
    // Snoozed again to a time it had before: that time's job is still pending and will do.
    Result<bool> enqueued = JobStore::enqueueOnce(db, job);
    if (!enqueued) {
        return enqueued.error();
    }
    return Done{};
}

Result<bool> wakeIfDue(DbConnection &db, const QString &teamId, const QString &id)
{
    Result<bool> woken =
        ConversationStore::wakeIfDue(db, teamId, id, QDateTime::currentDateTimeUtc());
    if (!woken || !woken.value()) {
        return woken;
    }
    Result<std::optional<Conversation>> conversation = ConversationStore::byId(db, teamId, id);
    if (!conversation) {
        return conversation.error();
    }
    if (conversation.value()) {
        if (Result<qint64> event = EventStore::append(db, teamId, u"conversation.updated"_s,
                                                      conversationJson(*conversation.value()));
            !event) {
            return event.error();
        }
    }
    return true;
}

Result<int> wakeOverdue(DbConnection &db, int limit)
{
    Result<QList<ConversationStore::ConversationKey>> due =
        ConversationStore::overdueSnoozes(db, QDateTime::currentDateTimeUtc(), limit);
    if (!due) {
        return due.error();
    }
    int woken = 0;
    for (const ConversationStore::ConversationKey &key : due.value()) {
        Result<bool> one = wakeIfDue(db, key.teamId, key.id);
        if (!one) {
            return one.error();
        }
        woken += one.value() ? 1 : 0;
    }
    return woken;
}

} // namespace SnoozeWake
