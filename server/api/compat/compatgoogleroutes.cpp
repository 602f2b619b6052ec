// SPDX-License-Identifier: MIT
#include "compatgoogleroutes.h"

#include "api/googleredirects.h"
#include "api/servercontext.h"
#include "core/logging.h"
#include "domain/accounts/googlesignin.h"
#include "http/router.h"

using namespace Qt::StringLiterals;

void registerCompatGoogleRoutes(Router &router, const ServerContext &context)
{
    router.add(
        "GET"_ba, u"/api/auth/google"_s,
        [context](const RequestPtr &, const ResponderPtr &responder) {
            const Config *config = context.config;
            context.google->start(
                GoogleFlow::Compat, QString(), [config, responder](Result<QString> url) {
                    if (!url) {
                        return responder->send(HttpResponse::redirect(
                            GoogleRedirects::loginError(*config, url.error().type)));
                    }
                    responder->send(HttpResponse::redirect(url.value().toUtf8()));
                });
        },
        BodyKind::Any, Surface::CompatMessage);

    router.add(
        "GET"_ba, u"/api/auth/google/callback"_s,
        [context](const RequestPtr &request, const ResponderPtr &responder) {
            const Config *config = context.config;
            context.google->finish(
                request->queryValue(u"code"_s), request->queryValue(u"state"_s),
                request->queryValue(u"error"_s), {request->clientIp(), request->userAgent()},
                [config, responder](GoogleCallbackOutcome outcome) {
                    if (outcome.error) {
                        qCInfo(lcAuth).noquote() << "Google sign-in failed:" << outcome.error->type
                                                 << "-" << outcome.error->detail;
                    }
                    responder->send(
                        HttpResponse::redirect(GoogleRedirects::afterCallback(*config, outcome)));
                });
        },
        BodyKind::Any, Surface::CompatMessage);
}
