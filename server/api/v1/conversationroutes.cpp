// SPDX-License-Identifier: MIT
#include "conversationroutes.h"

#include "api/servercontext.h"
#include "api/v1/messaginginput.h"
#include "domain/conversations/conversationservice.h"
#include "http/router.h"

using namespace Qt::StringLiterals;

namespace {

const QString kStatusValues = u"must be open, pending, resolved or snoozed"_s;

// "true" / "false" (or absent: false); anything else is a field error.
bool queryFlag(const HttpRequest &request, const QString &name, QList<FieldError> &errors)
{
    const QString value = request.queryValue(name);
    if (value.isEmpty() || value == u"false"_s) {
        return false;
    }
    if (value != u"true"_s) {
        errors.append({name, u"must be true or false"_s});
    }
    return value == u"true"_s;
}

Result<ConversationFilter> filterFrom(const HttpRequest &request)
{
    QList<FieldError> errors;
    ConversationFilter filter;
    filter.inboxId = request.queryValue(u"inboxId"_s);
    filter.assigneeId = request.queryValue(u"assigneeId"_s);
    filter.contactId = request.queryValue(u"contactId"_s);
    const QString status = request.queryValue(u"status"_s);
    if (!status.isEmpty()) {
        filter.status = parseConversationStatus(status);
        if (!filter.status) {
            errors.append({u"status"_s, kStatusValues});
        }
    }
    filter.unassignedOnly = queryFlag(request, u"unassigned"_s, errors);
    filter.unreadOnly = queryFlag(request, u"unread"_s, errors);
    if (filter.unassignedOnly && !filter.assigneeId.isEmpty()) {
        errors.append({u"unassigned"_s, u"cannot be combined with assigneeId"_s});
    }
    for (const QString &id : {filter.inboxId, filter.assigneeId, filter.contactId}) {
        if (id.size() > 64) {
            errors.append({u"query"_s, u"ids are at most 64 characters"_s});
            break;
        }
    }
    if (!errors.isEmpty()) {
        return ApiError::validation(errors);
    }
    return filter;
}

auto answerConversation(const ResponderPtr &responder, int status = 200)
{
    return [responder, status](Result<Conversation> conversation) {
        if (!conversation) {
            return responder->fail(conversation.error());
        }
        responder->send(HttpResponse::json(conversationJson(conversation.value()), status));
    };
}

} // namespace

void registerConversationRoutes(Router &router, const ServerContext &context)
{
    router.add("GET"_ba, u"/api/v1/teams/{teamId}/conversations"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        Result<PageRequest> page = parsePageRequest(*request);
        if (!page) {
            return responder->fail(page.error());
        }
        Result<ConversationFilter> filter = filterFrom(*request);
        if (!filter) {
            return responder->fail(filter.error());
        }
        const auto ticket = answerFromCache(context, *principal, responder);
        if (!ticket) {
            return;
        }
        context.conversations->list(
            principal->userId, request->param(u"teamId"_s), filter.value(), page.value(),
            answerPageKept<Conversation>(context, *ticket, responder, conversationJson));
    });

    router.add("POST"_ba, u"/api/v1/teams/{teamId}/conversations"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        rejectUnknownFields(input, *body, {u"contactId"_s, u"inboxId"_s, u"channel"_s});
        const QString contactId = input.requiredString(u"contactId"_s, 64);
        const QString inboxId = input.optionalString(u"inboxId"_s, 64).value_or(QString());
        const QString channel = input.optionalString(u"channel"_s, 20).value_or(QString());
        if (!channel.isEmpty() && channel != u"sms"_s && channel != u"whatsapp"_s
            && channel != u"voice"_s) {
            input.addError(u"channel"_s, u"must be sms, whatsapp or voice"_s);
        }
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.conversations->open(
            principal->userId, request->param(u"teamId"_s), contactId, inboxId, channel,
            [responder](Result<OpenedConversation> opened) {
                if (!opened) {
                    return responder->fail(opened.error());
                }
                responder->send(HttpResponse::json(conversationJson(opened->conversation),
                                                   opened->created ? 201 : 200));
            });
    });

    router.add("GET"_ba, u"/api/v1/teams/{teamId}/conversations/{conversationId}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.conversations->get(principal->userId, request->param(u"teamId"_s),
                                   request->param(u"conversationId"_s),
                                   answerConversation(responder));
    });

    router.add("PATCH"_ba, u"/api/v1/teams/{teamId}/conversations/{conversationId}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        rejectUnknownFields(input, *body, {u"status"_s, u"snoozedUntil"_s, u"assigneeId"_s});
        ConversationChange change;
        if (input.has(u"status"_s)) {
            const QJsonValue status = body->value(u"status"_s);
            change.status = parseConversationStatus(status.toString());
            if (!status.isString() || !change.status) {
                input.addError(u"status"_s, kStatusValues);
            }
        }
        if (input.has(u"snoozedUntil"_s) && !body->value(u"snoozedUntil"_s).isNull()) {
            change.snoozedUntil = optionalFutureTime(input, *body, u"snoozedUntil"_s);
        }
        if (input.has(u"assigneeId"_s)) {
            const QJsonValue assignee = body->value(u"assigneeId"_s);
            if (assignee.isNull()) {
                change.assigneeId = QString();
            } else if (!assignee.isString() || assignee.toString().isEmpty()
                       || assignee.toString().size() > 64) {
                input.addError(u"assigneeId"_s, u"must be a member's user id or null"_s);
            } else {
                change.assigneeId = assignee.toString();
            }
        }
        if (input.ok() && !change.status && !change.snoozedUntil && !change.assigneeId) {
            input.addError(u"body"_s, u"must change status, snoozedUntil or assigneeId"_s);
        }
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.conversations->update(principal->userId, request->param(u"teamId"_s),
                                      request->param(u"conversationId"_s), change,
                                      answerConversation(responder));
    });

    router.add("POST"_ba, u"/api/v1/teams/{teamId}/conversations/{conversationId}/read"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.conversations->markRead(principal->userId, request->param(u"teamId"_s),
                                        request->param(u"conversationId"_s),
                                        answerConversation(responder));
    });

    router.add("POST"_ba, u"/api/v1/teams/{teamId}/conversations/{conversationId}/unread"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.conversations->markUnread(principal->userId, request->param(u"teamId"_s),
                                          request->param(u"conversationId"_s),
                                          answerConversation(responder));
    });
}
