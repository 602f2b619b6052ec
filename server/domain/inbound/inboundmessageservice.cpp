// SPDX-License-Identifier: MIT
#include "inboundmessageservice.h"

#include "core/ids.h"
#include "domain/contacts/contactresolver.h"
#include "domain/contacts/contactwrites.h"
#include "domain/contacts/optoutwords.h"
#include "domain/conversations/conversationservice.h"
#include "storage/conversationstore.h"
#include "storage/database.h"
#include "storage/eventstore.h"
#include "storage/jobstore.h"
#include "storage/messagestore.h"

using namespace Qt::StringLiterals;

namespace {

constexpr int kPreviewLength = 140;

QString previewOf(const InboundMessage &inbound)
{
    const QString text = inbound.body.simplified();
    if (text.isEmpty()) {
        return inbound.media.size() == 1 ? u"[attachment]"_s
                                         : u"[%1 attachments]"_s.arg(inbound.media.size());
    }
    return text.size() <= kPreviewLength ? text : QString(text.left(kPreviewLength - 1) + u'…');
}

// Applies STOP/START to the contact; HELP changes nothing (Twilio answers it itself).
Status applyConsent(DbConnection &db, Contact contact, const InboundMessage &inbound,
                    const QDateTime &now)
{
    const ConsentWord word = OptOutWords::classify(inbound.body, inbound.optOutType);
    if (word == ConsentWord::OptOut && !contact.optedOutAt.isValid()) {
        contact.optedOutAt = now;
        contact.optedOutChannel = inbound.channel;
    } else if (word == ConsentWord::OptIn && contact.optedOutAt.isValid()) {
        contact.optedOutAt = QDateTime();
        contact.optedOutChannel.clear();
    } else {
        return Done{};
    }
    contact.updatedAt = now;
    return ContactWrites::save(db, contact, word == ConsentWord::OptOut ? u"opted-out"_s
                                                                        : u"opted-in"_s);
}

// The conversation the message belongs to: the contact's latest on this channel and inbox
// (reopened by recordInbound if need be), else a new one.
Result<QString> conversationFor(DbConnection &db, const InboundMessage &inbound,
                                const Contact &contact,
                                const std::optional<ConversationStore::ConversationRef> &latest)
{
    if (latest) {
        return latest->id;
    }
    const ContactSummary summary{contact.id,    contact.teamId,     contact.name, contact.phone,
                                 contact.email, contact.mergedInto, contact.optedOutAt};
    Result<OpenedConversation> opened = ConversationService::findOrCreate(
        db, inbound.teamId, summary, inbound.inboxId, inbound.channel);
    if (!opened) {
        return opened.error();
    }
    return opened->conversation.id;
}

Result<InboundResult> recordInTransaction(DbConnection &db, const InboundMessage &inbound)
{
    Result<bool> known = MessageStore::providerSidTaken(db, u"twilio"_s, inbound.providerSid);
    if (!known) {
        return known.error();
    }
    if (known.value()) {
        return InboundResult{true, {}};
    }
    Result<ResolvedContact> contact =
        ContactResolver::forAddress(db, inbound.teamId, inbound.from, inbound.profileName);
    if (!contact) {
        return contact.error();
    }
    Result<std::optional<ConversationStore::ConversationRef>> before = ConversationStore::findLatest(
        db, inbound.teamId, contact->contact.id, inbound.channel, inbound.inboxId);
    if (!before) {
        return before.error();
    }
    Result<QString> conversationId = conversationFor(db, inbound, contact->contact, before.value());
    if (!conversationId) {
        return conversationId.error();
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    Message message;
    message.id = newId();
    message.teamId = inbound.teamId;
    message.conversationId = conversationId.value();
    message.contactId = contact->contact.id;
    message.inboxId = inbound.inboxId;
    message.channel = inbound.channel;
    message.direction = u"inbound"_s;
    message.body = inbound.body;
    message.media = inbound.media;
    message.status = u"received"_s;
    message.providerSid = inbound.providerSid;
    message.createdAt = now;
    message.metadata = inbound.metadata;
    if (Status inserted = MessageStore::insert(db, message); !inserted) {
        return inserted.error(); // a unique violation: see record()
    }
    if (Status touched = ConversationStore::recordInbound(db, message.conversationId, now,
                                                          previewOf(inbound));
        !touched) {
        return touched.error();
    }
    // A resolved or snoozed conversation came back: say so, as a status change would.
    if (before.value() && before.value()->status != u"open"_s) {
        Result<std::optional<Conversation>> reopened =
            ConversationStore::byId(db, inbound.teamId, message.conversationId);
        if (!reopened) {
            return reopened.error();
        }
        if (reopened.value()) {
            if (Result<qint64> event = EventStore::append(db, inbound.teamId,
                                                          u"conversation.updated"_s,
                                                          conversationJson(*reopened.value()));
                !event) {
                return event.error();
            }
        }
    }
    if (Status consent = applyConsent(db, contact->contact, inbound, now); !consent) {
        return consent.error();
    }
    if (!message.media.isEmpty()) {
        Result<QString> job = JobStore::enqueue(
            db, NewJob{QString::fromLatin1(InboundMessageService::MediaJobKind),
                       QJsonObject{{u"messageId"_s, message.id},
                                   {u"teamId"_s, message.teamId},
                                   {u"inboxId"_s, message.inboxId}},
                       now, u"media:"_s + message.id, message.teamId});
        if (!job) {
            return job.error();
        }
    }
    if (Result<qint64> event =
            EventStore::append(db, inbound.teamId, u"message.new"_s, messageJson(message));
        !event) {
        return event.error();
    }
    return InboundResult{false, message};
}

} // namespace

InboundMessageService::InboundMessageService(Database *db, QObject *parent)
    : QObject(parent), m_db(db)
{
}

void InboundMessageService::record(const InboundMessage &inbound,
                                   std::function<void(Result<InboundResult>)> done)
{
    // One partition per sender: the same number's messages keep their order, and two groups
    // never lock the same contact and conversation.
    m_db->runGrouped<InboundResult>(
        inbound.teamId + u'|' + ContactResolver::e164Of(inbound.from),
        [inbound](DbConnection &db) {
            return runInTransaction<InboundResult>(
                db, [&] { return recordInTransaction(db, inbound); });
        },
        this, [done = std::move(done)](Result<InboundResult> result) {
            // The same MessageSid committed meanwhile by another instance: the insert's unique
            // violation rolled this attempt back, and the webhook is a duplicate.
            if (!result && isUniqueViolation(result.error())) {
                return done(InboundResult{true, {}});
            }
            done(std::move(result));
        });
}
