// SPDX-License-Identifier: MIT
#include "callentries.h"

#include "core/ids.h"
#include "domain/messages/messagetypes.h"
#include "storage/conversationstore.h"
#include "storage/eventstore.h"
#include "storage/messagestore.h"

using namespace Qt::StringLiterals;

namespace CallEntries {

namespace {

// A missed call may still turn into a voicemail or an answered call; those are final.
int rankOf(const QString &kindName)
{
    if (kindName.isEmpty()) {
        return -1;
    }
    if (kindName == callEntryKindName(CallEntryKind::Missed)
        || kindName == callEntryKindName(CallEntryKind::OutboundUnanswered)) {
        return 0;
    }
    return 1;
}

QList<MediaItem> mediaOf(const Call &call, CallEntryKind kind)
{
    if (kind != CallEntryKind::Voicemail || call.recordingUrl.isEmpty()) {
        return {};
    }
    MediaItem item;
    item.url = recordingMediaUrl(call.recordingUrl);
    item.contentType = u"audio/mpeg"_s;
    return {item};
}

QJsonObject metadataOf(const Call &call, CallEntryKind kind)
{
    return QJsonObject{{u"callId"_s, call.id}, {u"kind"_s, callEntryKindName(kind)}};
}

Status appendMessageEvent(DbConnection &db, const QString &type, const QString &teamId,
                          const QString &messageId)
{
    Result<std::optional<Message>> stored = MessageStore::byId(db, teamId, messageId);
    if (!stored) {
        return stored.error();
    }
    if (!stored.value()) {
        return Done{};
    }
    if (Result<qint64> event = EventStore::append(db, teamId, type, messageJson(*stored.value()));
        !event) {
        return event.error();
    }
    return Done{};
}

// The conversation shows the entry: newest activity, its preview and, for a call nobody took
// (missed, voicemail), one more unread item; a call an agent answered needs no follow-up.
Status touchConversation(DbConnection &db, const Call &call, const Message &entry,
                         CallEntryKind kind)
{
    if (Status touched = ConversationStore::recordActivity(db, call.conversationId,
                                                           entry.createdAt, entry.body);
        !touched) {
        return touched.error();
    }
    Result<std::optional<Conversation>> conversation =
        ConversationStore::byId(db, call.teamId, call.conversationId);
    if (!conversation) {
        return conversation.error();
    }
    if (!conversation.value()) {
        return Done{};
    }
    Conversation updated = *conversation.value();
    if (kind == CallEntryKind::Missed || kind == CallEntryKind::Voicemail) {
        updated.unreadCount += 1;
        if (Status unread = ConversationStore::setUnreadCount(db, updated.id, updated.unreadCount);
            !unread) {
            return unread.error();
        }
    }
    if (Result<qint64> event = EventStore::append(db, call.teamId, u"conversation.updated"_s,
                                                  conversationJson(updated));
        !event) {
        return event.error();
    }
    return Done{};
}

Result<bool> insertEntry(DbConnection &db, Call &call, CallEntryKind kind,
                         std::optional<qint64> seconds)
{
    Message entry;
    entry.id = newId();
    entry.teamId = call.teamId;
    entry.conversationId = call.conversationId;
    entry.contactId = call.contactId;
    entry.inboxId = call.inboxId;
    entry.channel = u"voice"_s;
    entry.direction = call.direction;
    entry.body = callEntryBody(kind, seconds);
    entry.media = mediaOf(call, kind);
    if (call.direction == u"inbound"_s) {
        entry.status = u"received"_s;
    } else if (kind == CallEntryKind::Outbound) {
        entry.status = u"sent"_s;
        entry.sentAt = QDateTime::currentDateTimeUtc();
    } else {
        entry.status = u"undelivered"_s;
        const QString how = call.dialStatus.isEmpty() ? call.status : call.dialStatus;
        entry.errorText = u"The call was not answered (%1)."_s.arg(how);
    }
    entry.createdBy = call.createdBy;
    entry.createdAt = QDateTime::currentDateTimeUtc();
    entry.metadata = metadataOf(call, kind);
    if (Status inserted = MessageStore::insert(db, entry); !inserted) {
        return inserted.error();
    }
    if (Result<qint64> event =
            EventStore::append(db, call.teamId, u"message.new"_s, messageJson(entry));
        !event) {
        return event.error();
    }
    if (Status touched = touchConversation(db, call, entry, kind); !touched) {
        return touched.error();
    }
    call.messageId = entry.id;
    call.entryKind = callEntryKindName(kind);
    return true;
}

} // namespace

QString recordingMediaUrl(const QString &recordingUrl)
{
    const QString lower = recordingUrl.toLower();
    if (lower.endsWith(u".mp3"_s) || lower.endsWith(u".wav"_s)) {
        return recordingUrl;
    }
    return recordingUrl + u".mp3"_s;
}

Result<bool> sync(DbConnection &db, Call &call, CallEntryKind kind, std::optional<qint64> seconds)
{
    if (call.conversationId.isEmpty() || call.contactId.isEmpty()) {
        return false; // an anonymous caller has no conversation to show it in
    }
    const QString name = callEntryKindName(kind);
    if (rankOf(name) <= rankOf(call.entryKind)) {
        return false;
    }
    if (!call.messageId.isEmpty()) {
        Result<bool> rewritten =
            MessageStore::updateContent(db, call.teamId, call.messageId,
                                        callEntryBody(kind, seconds), mediaOf(call, kind),
                                        metadataOf(call, kind));
        if (!rewritten) {
            return rewritten.error();
        }
        if (rewritten.value()) {
            call.entryKind = name;
            if (Status event =
                    appendMessageEvent(db, u"message.updated"_s, call.teamId, call.messageId);
                !event) {
                return event.error();
            }
            return true;
        }
        // The entry was deleted meanwhile: write a new one.
    }
    return insertEntry(db, call, kind, seconds);
}

} // namespace CallEntries
