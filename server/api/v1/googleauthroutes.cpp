// SPDX-License-Identifier: MIT
#include "googleauthroutes.h"

#include "api/googleredirects.h"
#include "api/servercontext.h"
#include "api/v1/accountjson.h"
#include "api/validation.h"
#include "domain/accounts/accountservice.h"
#include "domain/accounts/googlesignin.h"
#include "http/router.h"

using namespace Qt::StringLiterals;

void registerGoogleAuthRoutes(Router &router, const ServerContext &context)
{
    router.add(
        "GET"_ba, u"/api/v1/auth/google/start"_s,
        [context](const RequestPtr &request, const ResponderPtr &responder) {
            if (!context.google->enabled()) {
                return responder->fail(GoogleSignIn::disabledError());
            }
            const QString redirect = request->queryValue(u"redirect"_s);
            if (!redirect.isEmpty() && !GoogleRedirects::isAllowed(*context.config, redirect)) {
                return responder->fail(ApiError::validation(
                    {{u"redirect"_s,
                      u"must be under CORS_ORIGIN or a loopback "
                      "http://127.0.0.1:<port>/ URL"_s}},
                    u"This redirect target may not receive sign-in tokens."_s));
            }
            context.google->start(GoogleFlow::V1, redirect, [responder](Result<QString> url) {
                if (!url) {
                    return responder->fail(url.error());
                }
                responder->send(HttpResponse::redirect(url.value().toUtf8()));
            });
        },
        BodyKind::Any);

    router.add("POST"_ba, u"/api/v1/auth/google"_s,
               [context](const RequestPtr &request, const ResponderPtr &responder) {
                   if (!context.google->enabled()) {
                       return responder->fail(GoogleSignIn::disabledError());
                   }
                   std::optional<QJsonObject> body = jsonBody(responder);
                   if (!body) {
                       return;
                   }
                   JsonInput input(*body);
                   const QString idToken = input.requiredString(u"idToken"_s, 16 * 1024);
                   if (!input.ok()) {
                       return responder->fail(input.error());
                   }
                   context.google->signInWithIdToken(
                       idToken.toLatin1(), {request->clientIp(), request->userAgent()},
                       [responder](Result<Session> session) {
                           if (!session) {
                               return responder->fail(session.error());
                           }
                           responder->send(HttpResponse::json(sessionJson(session.value()),
                                                              session->created ? 201 : 200));
                       });
               });

    router.add(
        "DELETE"_ba, u"/api/v1/auth/me/google"_s,
        [context](const RequestPtr &, const ResponderPtr &responder) {
            const std::optional<Principal> principal = authenticate(context, responder);
            if (!principal) {
                return;
            }
            context.accounts->unlinkGoogle(principal->userId, [responder](Result<User> user) {
                if (!user) {
                    return responder->fail(user.error());
                }
                responder->send(
                    HttpResponse::json(QJsonObject {{u"user"_s, userJson(user.value())}}));
            });
        },
        BodyKind::Any);
}
