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
            Result<std::optional<Conversation>> conversation =
                ConversationStore::byId(db, scope->teamId, conversationId);
            if (!conversation) {
                return conversation.error();
            }
            if (!conversation.value()) {
                return ApiError::notFound(u"No such conversation."_s);
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
                Result<std::optional<Conversation>> conversation =
                    ConversationStore::byId(db, scope->teamId, conversationId);
                if (!conversation) {
                    return conversation.error();
                }
                if (!conversation.value()) {
                    return ApiError::notFound(u"No such conversation."_s);
                }
                Result<std::optional<ContactSummary>> contact = ConversationStore::contact(
                    db, scope->teamId, conversation.value()->contact.id);
                if (!contact) {
                    return contact.error();
                }
                if (!contact.value()) {
                    return ApiError::notFound(u"No such conversation."_s);
                }
                return storeOutbound(db, actorId, *conversation.value(), *contact.value(),
                                     request);
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
