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
        context.messages->list(principal->userId, request->param(u"teamId"_s),
                               request->param(u"conversationId"_s), page.value(),
                               [responder](Result<Page<Message>> result) {
                                   if (!result) {
                                       return responder->fail(result.error());
                                   }
                                   responder->send(HttpResponse::json(
                                       pageJsonOf(result->items, result->next, messageJson)));
                               });
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
}
