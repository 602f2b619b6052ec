// SPDX-License-Identifier: MIT
#include "messageservice.h"

#include "core/ids.h"
#include "domain/conversations/conversationservice.h"
#include "domain/conversations/teamscope.h"
#include "domain/conversations/timekeyset.h"
#include "storage/conversationstore.h"
#include "storage/database.h"
#include "storage/eventstore.h"
#include "storage/jobstore.h"
#include "storage/messagestore.h"

using namespace Qt::StringLiterals;

namespace {

constexpr int kPreviewLength = 140;
// How long the job of an immediate send waits for the caller's own attempt before the job runner
// may take it (the runner would otherwise race the caller for it).
constexpr qint64 kCallerAttemptGraceMs = 30'000;

ApiError contactNotFound()
{
    return ApiError::notFound(u"Contact not found"_s);
}

// One line of the message for the conversation list.
QString previewOf(const OutboundRequest &request)
{
    const QString text = request.body.simplified();
    if (text.isEmpty()) {
        return request.mediaUrls.size() == 1 ? u"[attachment]"_s
                                             : u"[%1 attachments]"_s.arg(request.mediaUrls.size());
    }
    return text.size() <= kPreviewLength ? text : QString(text.left(kPreviewLength - 1) + u'…');
}

// The database step of a send: the message (queued, or scheduled with sendAt), its delivery job
// and the conversation's activity, in the caller's transaction, so a message never exists
// without its job nor a job without its message.
Result<Message> storeOutbound(DbConnection &db, const QString &actorId,
                              const Conversation &conversation, const ContactSummary &contact,
                              const OutboundRequest &request)
{
    if (contact.optedOutAt.isValid()) {
        return ApiError{409, u"contact-opted-out"_s, u"Contact opted out"_s,
                        u"The contact has opted out of messages; nothing was sent."_s, {}, 0};
    }
    if (conversation.channel != u"sms"_s && conversation.channel != u"whatsapp"_s) {
        return ApiError::conflict(
            u"Messages cannot be sent on a %1 conversation."_s.arg(conversation.channel));
    }
    Message message;
    message.id = newId();
    message.teamId = conversation.teamId;
    message.conversationId = conversation.id;
    message.contactId = conversation.contact.id;
    message.inboxId = conversation.inboxId;
    message.channel = conversation.channel;
    message.direction = u"outbound"_s;
    message.body = request.body;
    for (const QString &url : request.mediaUrls) {
        message.media.append({url, {}});
    }
    message.status = request.sendAt.isValid() ? u"scheduled"_s : u"queued"_s;
    message.scheduledAt = request.sendAt;
    message.createdBy = actorId;
    message.createdAt = QDateTime::currentDateTimeUtc();
    if (Status inserted = MessageStore::insert(db, message); !inserted) {
        return inserted.error();
    }
    Result<QString> job = JobStore::enqueue(
        db, NewJob{u"message.send"_s, QJsonObject{{u"messageId"_s, message.id}},
                   request.sendAt.isValid()      ? request.sendAt
                   : request.attemptedByCaller ? message.createdAt.addMSecs(kCallerAttemptGraceMs)
                                               : message.createdAt,
                   u"send:"_s + message.id, message.teamId});
    if (!job) {
        return job.error();
    }
    if (Status touched = ConversationStore::recordActivity(db, conversation.id, message.createdAt,
                                                           previewOf(request));
        !touched) {
        return touched.error();
    }
    if (Result<qint64> event =
            EventStore::append(db, message.teamId, u"message.new"_s, messageJson(message));
        !event) {
        return event.error();
    }
    return message;
}

// ---- Scheduled messages ----

ApiError notScheduled(const Message &message)
{
    return ApiError{409, u"not-scheduled"_s, u"Message not scheduled"_s,
                    u"The message is %1; only a scheduled message can be rescheduled, edited or "
                    "canceled."_s.arg(message.status),
                    {}, 0};
}

// The claim won the race: the job runner has the message and sends it.
ApiError alreadySending()
{
    return ApiError{409, u"already-sending"_s, u"Message already sending"_s,
                    u"The message is already being sent."_s, {}, 0};
}

// Why a job change found no pending job: a cancel that committed first (the message is canceled
// now: seen by this new statement), else the claim (the job runner is sending it).
ApiError lostToOther(DbConnection &db, const QString &teamId, const QString &messageId)
{
    Result<std::optional<Message>> now = MessageStore::byId(db, teamId, messageId);
    if (now && now.value() && now.value()->status == u"canceled"_s) {
        return notScheduled(*now.value());
    }
    return alreadySending();
}

// The team's message `messageId` while it is still scheduled, read in the caller's transaction.
Result<Message> scheduledMessage(DbConnection &db, const QString &teamId, const QString &messageId)
{
    Result<std::optional<Message>> found = MessageStore::byId(db, teamId, messageId);
    if (!found) {
        return found.error();
    }
    if (!found.value()) {
        return ApiError::notFound(u"No such message."_s);
    }
    if (found.value()->status != u"scheduled"_s) {
        return notScheduled(*found.value());
    }
    return *found.value();
}

// The message as stored after a change, announced as `message.updated`.
Result<Message> announceChange(DbConnection &db, const QString &teamId, const QString &messageId)
{
    Result<std::optional<Message>> changed = MessageStore::byId(db, teamId, messageId);
    if (!changed) {
        return changed.error();
    }
    if (!changed.value()) {
        return ApiError::notFound(u"No such message."_s);
    }
    if (Result<qint64> event = EventStore::append(db, teamId, u"message.updated"_s,
                                                  messageJson(*changed.value()));
        !event) {
        return event.error();
    }
    return *changed.value();
}

QString sendJobKey(const QString &messageId)
{
    return u"send:"_s + messageId;
}

} // namespace

MessageService::MessageService(Database *db, QObject *parent) : QObject(parent), m_db(db)
{
}

void MessageService::list(const QString &actorId, const QString &teamId,
                          const QString &conversationId, const PageRequest &page,
                          Reply<Page<Message>> done)
{
    m_db->run<Page<Message>>(
        DbAccess::Read,
        [=](DbConnection &db) -> Result<Page<Message>> {
            Result<PageRequest> checked = checkTimeCursor(page);
            if (!checked) {
                return checked.error();
            }
            Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Viewer);
            if (!scope) {
                return scope.error();
            }
            if (Result<Conversation> conversation =
                    ConversationService::existing(db, scope->teamId, conversationId);
                !conversation) {
                return conversation.error();
            }
            return MessageStore::listByConversation(db, conversationId, checked.value());
        },
        this, done);
}

void MessageService::send(const QString &actorId, const QString &teamId,
                          const QString &conversationId, const OutboundRequest &request,
                          Reply<Message> done)
{
    m_db->run<Message>(
        DbAccess::Write,
        [=](DbConnection &db) -> Result<Message> {
            return runInTransaction<Message>(db, [&]() -> Result<Message> {
                Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Editor);
                if (!scope) {
                    return scope.error();
                }
                Result<Conversation> conversation =
                    ConversationService::existing(db, scope->teamId, conversationId);
                if (!conversation) {
                    return conversation.error();
                }
                Result<std::optional<ContactSummary>> contact = ConversationStore::contact(
                    db, scope->teamId, conversation->contact.id);
                if (!contact) {
                    return contact.error();
                }
                if (!contact.value()) {
                    return ApiError::notFound(u"No such conversation."_s);
                }
                return storeOutbound(db, actorId, conversation.value(), *contact.value(), request);
            });
        },
        this, done);
}

void MessageService::contactThread(const QString &actorId, const QString &teamId,
                                   const QString &contactId, int limit,
                                   Reply<QList<Message>> done)
{
    m_db->run<QList<Message>>(
        DbAccess::Read,
        [=](DbConnection &db) -> Result<QList<Message>> {
            Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Viewer);
            if (!scope) {
                return scope.error();
            }
            Result<std::optional<ContactSummary>> contact =
                ConversationStore::contact(db, scope->teamId, contactId);
            if (!contact) {
                return contact.error();
            }
            if (!contact.value()) {
                return contactNotFound();
            }
            return MessageStore::latestOfContact(db, scope->teamId, contactId, limit);
        },
        this, done);
}

void MessageService::sendToContact(const QString &actorId, const QString &teamId,
                                   const QString &contactId, const QString &channel,
                                   const OutboundRequest &request, Reply<Message> done)
{
    m_db->run<Message>(
        DbAccess::Write,
        [=](DbConnection &db) -> Result<Message> {
            return runInTransaction<Message>(db, [&]() -> Result<Message> {
                Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Editor);
                if (!scope) {
                    return scope.error();
                }
                Result<std::optional<ContactSummary>> contact =
                    liveContact(db, scope->teamId, contactId);
                if (!contact) {
                    return contact.error();
                }
                if (!contact.value()) {
                    return contactNotFound();
                }
                Result<OpenedConversation> opened = ConversationService::findOrCreate(
                    db, scope->teamId, *contact.value(), QString(), channel);
                if (!opened) {
                    return opened.error();
                }
                return storeOutbound(db, actorId, opened->conversation, *contact.value(), request);
            });
        },
        this, done);
}

// ---- Scheduled messages ----

void MessageService::listScheduled(const QString &actorId, const QString &teamId,
                                   const QString &conversationId, const PageRequest &page,
                                   Reply<Page<Message>> done)
{
    m_db->run<Page<Message>>(
        DbAccess::Read,
        [=](DbConnection &db) -> Result<Page<Message>> {
            Result<PageRequest> checked = checkTimeCursor(page);
            if (!checked) {
                return checked.error();
            }
            Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Viewer);
            if (!scope) {
                return scope.error();
            }
            return MessageStore::listScheduled(db, scope->teamId, conversationId, checked.value());
        },
        this, done);
}

void MessageService::updateScheduled(const QString &actorId, const QString &teamId,
                                     const QString &messageId, const ScheduledChange &change,
                                     Reply<Message> done)
{
    m_db->run<Message>(
        DbAccess::Write,
        [=](DbConnection &db) -> Result<Message> {
            return runInTransaction<Message>(db, [&]() -> Result<Message> {
                Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Editor);
                if (!scope) {
                    return scope.error();
                }
                Result<Message> message = scheduledMessage(db, scope->teamId, messageId);
                if (!message) {
                    return message.error();
                }
                if (!change.body.isNull() && change.body.trimmed().isEmpty()
                    && message->media.isEmpty()) {
                    return ApiError::validation(
                        {{u"body"_s, u"must not be empty (the message has no media)"_s}});
                }
                // The job first: it decides against the claim, and the message follows it.
                Result<bool> held =
                    JobStore::reschedulePending(db, sendJobKey(messageId), change.sendAt);
                if (!held) {
                    return held.error();
                }
                if (!held.value()) {
                    return lostToOther(db, scope->teamId, messageId);
                }
                Result<bool> updated = MessageStore::updateScheduled(
                    db, scope->teamId, messageId, change.sendAt, change.body);
                if (!updated) {
                    return updated.error();
                }
                if (!updated.value()) {
                    return alreadySending(); // rolls the job's change back with it
                }
                return announceChange(db, scope->teamId, messageId);
            });
        },
        this, done);
}

void MessageService::cancelScheduled(const QString &actorId, const QString &teamId,
                                     const QString &messageId, Reply<Message> done)
{
    m_db->run<Message>(
        DbAccess::Write,
        [=](DbConnection &db) -> Result<Message> {
            return runInTransaction<Message>(db, [&]() -> Result<Message> {
                Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Editor);
                if (!scope) {
                    return scope.error();
                }
                Result<Message> message = scheduledMessage(db, scope->teamId, messageId);
                if (!message) {
                    return message.error();
                }
                Result<bool> canceled = JobStore::cancelPending(
                    db, sendJobKey(messageId), u"canceled by user %1"_s.arg(actorId));
                if (!canceled) {
                    return canceled.error();
                }
                if (!canceled.value()) {
                    return lostToOther(db, scope->teamId, messageId);
                }
                Result<bool> updated = MessageStore::cancelScheduled(db, scope->teamId, messageId);
                if (!updated) {
                    return updated.error();
                }
                if (!updated.value()) {
                    return alreadySending(); // rolls the job's cancel back with it
                }
                return announceChange(db, scope->teamId, messageId);
            });
        },
        this, done);
}
