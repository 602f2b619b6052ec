// SPDX-License-Identifier: MIT
#include "callroutes.h"

#include "api/servercontext.h"
#include "api/v1/messaginginput.h"
#include "domain/calls/callservice.h"
#include "domain/inboxes/inboxrules.h"
#include "http/router.h"

using namespace Qt::StringLiterals;

void registerCallRoutes(Router &router, const ServerContext &context)
{
    router.add("GET"_ba, u"/api/v1/teams/{teamId}/calls"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        Result<PageRequest> page = parsePageRequest(*request);
        if (!page) {
            return responder->fail(page.error());
        }
        context.calls->list(principal->userId, request->param(u"teamId"_s), page.value(),
                            answerPage<Call>(responder, callJson));
    });

    // The body may be empty: every field is optional.
    router.add("POST"_ba, u"/api/v1/teams/{teamId}/conversations/{conversationId}/calls"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        std::optional<QJsonObject> body = QJsonObject();
        if (!request->body.trimmed().isEmpty()) {
            body = jsonBody(responder);
            if (!body) {
                return;
            }
        }
        JsonInput input(*body);
        rejectUnknownFields(input, *body, {u"agentNumber"_s});
        const QString agentNumber = input.optionalString(u"agentNumber"_s, 20).value_or(QString());
        if (!agentNumber.isEmpty() && !InboxRules::isE164(agentNumber)) {
            input.addError(u"agentNumber"_s, u"must be an E.164 number (+14155550100)"_s);
        }
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.calls->startOutbound(principal->userId, request->param(u"teamId"_s),
                                     request->param(u"conversationId"_s), agentNumber,
                                     [responder](Result<Call> call) {
                                         if (!call) {
                                             return responder->fail(call.error());
                                         }
                                         responder->send(
                                             HttpResponse::json(callJson(call.value()), 201));
                                     });
    });
}
