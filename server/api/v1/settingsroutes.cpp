// SPDX-License-Identifier: MIT
#include "settingsroutes.h"

#include "api/servercontext.h"
#include "domain/settings/settingsservice.h"
#include "http/router.h"

using namespace Qt::StringLiterals;

namespace {

auto answerDocument(const ResponderPtr &responder)
{
    return [responder](Result<QJsonObject> document) {
        if (!document) {
            return responder->fail(document.error());
        }
        responder->send(HttpResponse::json(document.value()));
    };
}

} // namespace

void registerSettingsRoutes(Router &router, const ServerContext &context)
{
    router.add("GET"_ba, u"/api/v1/me/settings"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.settings->userSettings(principal->userId, answerDocument(responder));
    });

    router.add("PATCH"_ba, u"/api/v1/me/settings"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        // Each key is validated by the use case, which knows the document's rules.
        context.settings->updateUserSettings(principal->userId, *body, answerDocument(responder));
    });

    router.add("GET"_ba, u"/api/v1/teams/{teamId}/settings"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.settings->teamSettings(principal->userId, request->param(u"teamId"_s),
                                       answerDocument(responder));
    });

    router.add("PATCH"_ba, u"/api/v1/teams/{teamId}/settings"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        context.settings->updateTeamSettings(principal->userId, request->param(u"teamId"_s),
                                             *body, answerDocument(responder));
    });
}
