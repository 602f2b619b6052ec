// SPDX-License-Identifier: MIT
#include "messageroutes.h"

#include "api/servercontext.h"
#include "api/v1/messaginginput.h"
#include "domain/messages/messageservice.h"
#include "http/router.h"

using namespace Qt::StringLiterals;

void registerMessageRoutes(Router &router, const ServerContext &context)
{
    router.add("GET"_ba, u"/api/v1/teams/{teamId}/conversations/{conversationId}/messages"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        Result<PageRequest> page = parsePageRequest(*request);
        if (!page) {
            return responder->fail(page.error());
        }
        const auto ticket = answerFromCache(context, *principal, responder);
        if (!ticket) {
            return;
        }
        context.messages->list(principal->userId, request->param(u"teamId"_s),
                               request->param(u"conversationId"_s), page.value(),
                               answerPageKept<Message>(context, *ticket, responder, messageJson));
    });

    router.add("POST"_ba, u"/api/v1/teams/{teamId}/conversations/{conversationId}/messages"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        rejectUnknownFields(input, *body, {u"body"_s, u"mediaUrls"_s, u"sendAt"_s});
        const OutboundRequest outbound =
            readOutbound(input, *body, u"body"_s, u"mediaUrls"_s, u"sendAt"_s);
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.messages->send(principal->userId, request->param(u"teamId"_s),
                               request->param(u"conversationId"_s), outbound,
                               [responder](Result<Message> message) {
                                   if (!message) {
                                       return responder->fail(message.error());
                                   }
                                   responder->send(
                                       HttpResponse::json(messageJson(message.value()), 201));
                               });
    });

    // ---- Scheduled messages ----

    router.add("GET"_ba, u"/api/v1/teams/{teamId}/scheduled-messages"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        Result<PageRequest> page = parsePageRequest(*request);
        if (!page) {
            return responder->fail(page.error());
        }
        const QString conversationId = request->queryValue(u"conversationId"_s);
        if (conversationId.size() > 64) {
            return responder->fail(ApiError::validation(
                {{u"conversationId"_s, u"ids are at most 64 characters"_s}}));
        }
        context.messages->listScheduled(principal->userId, request->param(u"teamId"_s),
                                        conversationId, page.value(),
                                        [responder](Result<Page<Message>> result) {
                                            if (!result) {
                                                return responder->fail(result.error());
                                            }
                                            responder->send(HttpResponse::json(pageJsonOf(
                                                result->items, result->next, messageJson)));
                                        });
    });

    const auto answerMessage = [](const ResponderPtr &responder) {
        return [responder](Result<Message> message) {
            if (!message) {
                return responder->fail(message.error());
            }
            responder->send(HttpResponse::json(messageJson(message.value())));
        };
    };

    router.add("PATCH"_ba, u"/api/v1/teams/{teamId}/messages/{messageId}"_s, [context, answerMessage](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        rejectUnknownFields(input, *body, {u"sendAt"_s, u"body"_s});
        ScheduledChange change;
        // the same rule as a send's sendAt: future, at most a year ahead
        change.sendAt = optionalFutureTime(input, *body, u"sendAt"_s);
        if (input.has(u"sendAt"_s) && body->value(u"sendAt"_s).isNull()) {
            input.addError(u"sendAt"_s, u"must be a time (cancel the message to not send it)"_s);
        }
        change.body = optionalMessageBody(input, *body, u"body"_s);
        if (input.ok() && !input.has(u"sendAt"_s) && !input.has(u"body"_s)) {
            input.addError(u"sendAt"_s, u"is required (or body)"_s);
        }
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.messages->updateScheduled(call->principal.userId, request->param(u"teamId"_s),
                                          request->param(u"messageId"_s), change,
                                          answerMessage(responder));
    });

    router.add("POST"_ba, u"/api/v1/teams/{teamId}/messages/{messageId}/cancel"_s, [context, answerMessage](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.messages->cancelScheduled(principal->userId, request->param(u"teamId"_s),
                                          request->param(u"messageId"_s),
                                          answerMessage(responder));
    });
}
