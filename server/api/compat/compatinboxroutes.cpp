// SPDX-License-Identifier: MIT
#include "compatinboxroutes.h"

#include "api/servercontext.h"
#include "channels/twilio/twiliodelivery.h"
#include "api/v1/messaginginput.h"
#include "domain/conversations/conversationservice.h"
#include "domain/conversations/teamscope.h"
#include "domain/messages/messageservice.h"
#include "domain/notes/noteservice.h"
#include "http/router.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

constexpr int kListLimit = 200; // the original's page: its frontend has no paging

QJsonObject compatThread(const ContactThread &thread)
{
    const ContactSummary &c = thread.contact;
    const QString name = !c.name.isEmpty() ? c.name
        : !c.phone.isEmpty()               ? c.phone
        : !c.email.isEmpty()               ? c.email
                                           : u"Unknown"_s;
    return QJsonObject{{u"id"_s, c.id},
                       {u"contactName"_s, name},
                       {u"snippet"_s, thread.snippet},
                       {u"unread"_s, thread.unread},
                       {u"channel"_s,
                        thread.channel.isEmpty() ? u"SMS"_s : thread.channel.toUpper()},
                       {u"updatedAt"_s, isoTimeOrNull(thread.updatedAt)}};
}

QJsonObject compatMessage(const Message &m)
{
    return QJsonObject{{u"id"_s, m.id},
                       {u"contactId"_s, m.contactId},
                       {u"direction"_s, m.direction.toUpper()},
                       {u"body"_s, m.body},
                       {u"media"_s, mediaUrlsJson(m.media)},
                       {u"createdAt"_s, isoTimeOrNull(m.createdAt)},
                       {u"status"_s, compatStatus(m.status)},
                       {u"scheduledAt"_s, isoTimeOrNull(m.scheduledAt)}};
}

QJsonObject compatNote(const Note &n)
{
    return QJsonObject{{u"id"_s, n.id},
                       {u"content"_s, n.content},
                       {u"contactId"_s, jsonTextOrNull(n.contactId)},
                       {u"isPrivate"_s, n.isPrivate},
                       {u"createdAt"_s, isoTimeOrNull(n.createdAt)},
                       {u"updatedAt"_s, isoTimeOrNull(n.updatedAt)},
                       {u"author"_s, QJsonObject{{u"id"_s, jsonTextOrNull(n.authorId)},
                                                 {u"name"_s, jsonTextOrNull(n.authorName)}}}};
}

// The original's ids were numbers in some installs; the frontend may send either form.
QString idField(const QJsonObject &body, const QString &field)
{
    const QJsonValue value = body.value(field);
    if (value.isString()) {
        return value.toString().trimmed().left(64);
    }
    if (value.isDouble()) {
        return QString::number(value.toInteger());
    }
    return {};
}

ApiError badRequest(const QString &message)
{
    return ApiError{400, u"bad-request"_s, u"Bad request"_s, message, {}, 0};
}

template<typename T, typename ToJson>
QByteArray jsonArrayOf(const QList<T> &items, ToJson toJson)
{
    QJsonArray data;
    for (const T &item : items) {
        data.append(toJson(item));
    }
    return QJsonDocument(data).toJson(QJsonDocument::Compact);
}

template<typename T, typename ToJson>
auto answerArray(const ResponderPtr &responder, ToJson toJson)
{
    return [responder, toJson](Result<QList<T>> items) {
        if (!items) {
            return responder->fail(items.error());
        }
        responder->send(HttpResponse::rawJson(jsonArrayOf(items.value(), toJson)));
    };
}

// The same, kept in the read cache for the next identical read.
template<typename T, typename ToJson>
auto answerArrayKept(const ServerContext &context, const ReadCache::Ticket &ticket,
                     const ResponderPtr &responder, ToJson toJson)
{
    return [context, ticket, responder, toJson](Result<QList<T>> items) {
        if (!items) {
            return responder->fail(items.error());
        }
        keepAndSend(context, ticket, responder, jsonArrayOf(items.value(), toJson));
    };
}

// 201 with the note. The use case names an unknown contact as a field error; the original
// answered 404 "Contact not found".
auto answerCreatedNote(const ResponderPtr &responder)
{
    return [responder](Result<Note> created) {
        if (!created) {
            const ApiError &error = created.error();
            if (error.status == 422 && !error.fieldErrors.isEmpty()
                && error.fieldErrors.first().field == u"contactId"_s) {
                return responder->fail(ApiError::notFound(u"Contact not found"_s));
            }
            return responder->fail(error);
        }
        responder->send(HttpResponse::json(compatNote(created.value()), 201));
    };
}

} // namespace

namespace {

// The original's answer to an immediate send: {ok, messageId, providerResp} once Twilio took
// the message; 502 {ok:false, messageId, error} when Twilio refused it (the message is marked
// failed with Twilio's code and text). A retryable failure (Twilio busy or unreachable) keeps
// the message queued for the job runner and answers ok with status "queued".
HttpResponse compatSendAnswer(const QString &messageId, const DeliveryReport &report)
{
    const TwilioSendOutcome &twilio = report.twilio;
    if (report.outcome.kind == JobOutcome::Kind::Fail) {
        const QString text = u"Provider error: "_s + report.outcome.error;
        return HttpResponse::json(QJsonObject{{u"ok"_s, false},
                                              {u"messageId"_s, messageId},
                                              {u"error"_s, text},
                                              {u"message"_s, text}},
                                  502);
    }
    const bool accepted = report.outcome.kind == JobOutcome::Kind::Done
                          && twilio.kind == TwilioSendOutcome::Kind::Accepted;
    QJsonObject provider{{u"provider"_s, u"twilio"_s},
                         {u"externalId"_s, accepted ? QJsonValue(twilio.sid) : QJsonValue::Null},
                         {u"status"_s, accepted ? twilio.status : u"queued"_s}};
    if (!accepted) {
        provider.insert(u"retrying"_s, true);
    }
    return HttpResponse::json(QJsonObject{
        {u"ok"_s, true}, {u"messageId"_s, messageId}, {u"providerResp"_s, provider}});
}

} // namespace

void registerCompatInboxRoutes(Router &router, const ServerContext &context)
{
    router.add("GET"_ba, u"/api/inbox/threads"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        const auto ticket = answerFromCache(context, *principal, responder);
        if (!ticket) {
            return;
        }
        context.conversations->contactThreads(
                principal->userId, kCallersFirstTeam, kListLimit,
                answerArrayKept<ContactThread>(context, *ticket, responder, compatThread));
    }, BodyKind::Json, Surface::CompatError);

    // The latest 200 messages, oldest first (the original returned the first 200, which hid a
    // long thread's recent messages).
    router.add("GET"_ba, u"/api/messages/thread/{contactId}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        const auto ticket = answerFromCache(context, *principal, responder);
        if (!ticket) {
            return;
        }
        context.messages->contactThread(
                principal->userId, kCallersFirstTeam, request->param(u"contactId"_s).left(64),
                kListLimit, answerArrayKept<Message>(context, *ticket, responder, compatMessage));
    }, BodyKind::Json, Surface::CompatError);

    router.add("POST"_ba, u"/api/messages/send"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        QString contactId = idField(*body, u"threadId"_s);
        if (contactId.isEmpty()) {
            contactId = idField(*body, u"contactId"_s);
        }
        if (contactId.isEmpty()) {
            return responder->fail(badRequest(u"threadId (or contactId) and body are required"_s));
        }
        const QJsonValue channelValue = body->value(u"channel"_s);
        const QString channel = channelValue.isString() ? channelValue.toString().toLower()
                                                        : QString();
        if (!channelValue.isUndefined() && !channelValue.isNull() && channel != u"sms"_s
            && channel != u"whatsapp"_s) {
            return responder->fail(badRequest(u"channel must be SMS or WHATSAPP"_s));
        }
        JsonInput input(*body);
        OutboundRequest outbound = readOutbound(input, *body, u"body"_s, QString(), QString());
        // The original scheduled any given time, a past one included (its job then ran at
        // once): a past time is kept as "send now, as a scheduled message".
        const QJsonValue scheduleAt = body->value(u"scheduleAt"_s);
        if (!scheduleAt.isUndefined() && !scheduleAt.isNull()
            && !(scheduleAt.isString() && scheduleAt.toString().isEmpty())) {
            const std::optional<QDateTime> at =
                scheduleAt.isString() ? parseIsoTimestamp(scheduleAt.toString()) : std::nullopt;
            const QDateTime now = QDateTime::currentDateTimeUtc();
            if (!at) {
                input.addError(u"scheduleAt"_s, u"must be an ISO-8601 time"_s);
            } else if (*at > now.addYears(1)) {
                input.addError(u"scheduleAt"_s, u"must be at most a year ahead"_s);
            } else {
                outbound.sendAt = std::max(*at, now);
            }
        }
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        const bool scheduled = outbound.sendAt.isValid();
        outbound.attemptedByCaller = !scheduled;
        context.messages->sendToContact(
            principal->userId, kCallersFirstTeam, contactId,
            channel.isEmpty() ? u"sms"_s : channel, outbound,
            [context, responder, scheduled](Result<Message> message) {
                if (!message) {
                    return responder->fail(message.error());
                }
                if (scheduled) {
                    return responder->send(HttpResponse::json(QJsonObject{
                        {u"ok"_s, true}, {u"scheduled"_s, true}, {u"messageId"_s, message->id}}));
                }
                // As the original: answer after the first attempt to hand it to Twilio (the
                // attempt runs asynchronously; nothing waits on this thread).
                context.delivery->sendNow(message->id, [responder, messageId = message->id](
                                                           DeliveryReport report) {
                    responder->send(compatSendAnswer(messageId, report));
                });
            });
    }, BodyKind::Json, Surface::CompatError);

    router.add("GET"_ba, u"/api/notes"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        PageRequest page;
        page.limit = kListLimit;
        const NoteFilter filter{request->queryValue(u"contactId"_s).left(64), QString()};
        context.notes->list(principal->userId, kCallersFirstTeam, filter, page,
                            [responder](Result<Page<Note>> notes) {
                                if (!notes) {
                                    return responder->fail(notes.error());
                                }
                                QJsonArray data;
                                for (const Note &note : notes->items) {
                                    data.append(compatNote(note));
                                }
                                responder->send(HttpResponse::json(data));
                            });
    }, BodyKind::Json, Surface::CompatError);

    router.add("POST"_ba, u"/api/notes"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        const QJsonValue content = body->value(u"content"_s);
        if (!content.isString() || content.toString().trimmed().isEmpty()) {
            return responder->fail(badRequest(u"content is required"_s));
        }
        if (content.toString().size() > 10000) {
            return responder->fail(badRequest(u"content must be at most 10000 characters"_s));
        }
        NewNote note;
        note.content = content.toString();
        note.contactId = idField(*body, u"contactId"_s);
        note.isPrivate = body->value(u"isPrivate"_s).toBool(false);
        context.notes->create(principal->userId, kCallersFirstTeam, note,
                              answerCreatedNote(responder));
    }, BodyKind::Json, Surface::CompatError);
}
