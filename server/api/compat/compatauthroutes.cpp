// SPDX-License-Identifier: MIT
#include "compatauthroutes.h"

#include "api/compat/compatuserjson.h"
#include "api/servercontext.h"
#include "api/validation.h"
#include "domain/accounts/accountservice.h"
#include "domain/inboxes/twilionumberservice.h"
#include "http/router.h"

using namespace Qt::StringLiterals;

namespace {

AccountService::Client clientOf(const HttpRequest &request)
{
    return {request.clientIp(), request.userAgent()};
}

} // namespace

void registerCompatAuthRoutes(Router &router, const ServerContext &context)
{
    router.add("POST"_ba, u"/api/auth/signup"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        std::optional<QJsonObject> body = jsonBody(responder);
        if (!body) {
            return;
        }
        JsonInput input(*body);
        const QString email = input.requiredEmail(u"email"_s);
        const QString password = input.requiredPassword(u"password"_s);
        const QString name = input.optionalString(u"name"_s, 200).value_or(QString());
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.accounts->signUp(email, password, name, clientOf(*request), [responder](Result<Session> session) {
            if (!session) {
                if (session.error().status == 409) {
                    return responder->send(HttpResponse::json(
                        QJsonObject{{u"message"_s, u"User already exists"_s}}, 400));
                }
                return responder->fail(session.error());
            }
            responder->send(HttpResponse::json(
                QJsonObject{{u"token"_s, QString::fromLatin1(session->accessToken)},
                            {u"user"_s, compatUser(session->user, UserShape::Signup)}},
                201));
        });
    }, BodyKind::Json, Surface::CompatMessage);

    router.add("POST"_ba, u"/api/auth/login"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        std::optional<QJsonObject> body = jsonBody(responder);
        if (!body) {
            return;
        }
        JsonInput input(*body);
        const QString email = input.requiredString(u"email"_s, 254).toLower();
        const QString password = input.requiredString(u"password"_s, 1000, true);
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.accounts->login(email, password, clientOf(*request), [context, responder](Result<Session> session) {
            if (!session) {
                if (session.error().type == u"invalid-credentials"_s) {
                    return responder->send(HttpResponse::json(
                        QJsonObject{{u"message"_s, u"Invalid credentials"_s}}, 400));
                }
                return responder->fail(session.error());
            }
            context.twilioNumbers->profile(session->user.id, [responder, session = session.value()](Result<TwilioProfile> twilio) {
                if (!twilio) {
                    return responder->fail(twilio.error());
                }
                responder->send(HttpResponse::json(
                    QJsonObject{{u"token"_s, QString::fromLatin1(session.accessToken)},
                                {u"user"_s, compatUser(session.user, UserShape::Login, twilio.value())}}));
            });
        });
    }, BodyKind::Json, Surface::CompatMessage);

    // Called on every app load: a bad token is {user:null} with 200, as the original did.
    router.add("GET"_ba, u"/api/auth/session"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        Result<Principal> principal = context.tokens->verifyAccessToken(request->bearerToken());
        if (!principal) {
            return responder->send(HttpResponse::json(QJsonObject{{u"user"_s, QJsonValue::Null}}));
        }
        rememberClient(context, *request, principal.value());
        context.accounts->me(principal->userId, true, [context, responder](Result<User> user) {
            if (!user) {
                if (user.error().status == 401) {
                    return responder->send(HttpResponse::json(QJsonObject{{u"user"_s, QJsonValue::Null}}));
                }
                return responder->fail(user.error());
            }
            context.twilioNumbers->profile(user->id, [responder, user = user.value()](Result<TwilioProfile> twilio) {
                if (!twilio) {
                    return responder->fail(twilio.error());
                }
                responder->send(HttpResponse::json(
                    QJsonObject{{u"user"_s, compatUser(user, UserShape::Session, twilio.value())}}));
            });
        });
    }, BodyKind::Json, Surface::CompatMessage);
}
