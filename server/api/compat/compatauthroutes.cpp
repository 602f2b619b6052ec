// SPDX-License-Identifier: MIT
#include "compatauthroutes.h"

#include "api/servercontext.h"
#include "api/validation.h"
#include "domain/accounts/accountservice.h"
#include "http/router.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

enum class UserShape { Signup, Login, Session };

QJsonArray teamRoles(const User &user)
{
    QJsonArray roles;
    for (const Membership &membership : user.teams) {
        roles.append(QJsonObject{{u"teamId"_s, membership.teamId},
                                 {u"userId"_s, user.id},
                                 {u"role"_s, roleName(membership.role).toUpper()},
                                 {u"team"_s, QJsonObject{{u"id"_s, membership.teamId},
                                                         {u"name"_s, membership.teamName}}}});
    }
    return roles;
}

// The original returned its whole user row, password hash and Twilio token included; we keep
// the fields the frontend reads and never a secret. Twilio fields stay empty until a personal
// Twilio number is configured.
QJsonObject compatUser(const User &user, UserShape shape)
{
    QJsonObject json{{u"id"_s, user.id},
                     {u"email"_s, user.email},
                     {u"name"_s, user.name.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(user.name)},
                     {u"isTwilioVerified"_s, false},
                     {u"teamRoles"_s, teamRoles(user)}};
    if (shape != UserShape::Login) {
        json.insert(u"twilioAccountSid"_s, QJsonValue::Null);
        json.insert(u"twilioSmsFrom"_s, QJsonValue::Null);
        json.insert(u"twilioWhatsappFrom"_s, QJsonValue::Null);
    }
    if (shape != UserShape::Signup) {
        json.insert(u"twilioNumber"_s, QJsonValue::Null);
    }
    if (shape == UserShape::Session) {
        json.insert(u"avatarUrl"_s, user.avatarUrl.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                             : QJsonValue(user.avatarUrl));
    }
    return json;
}

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
        context.accounts->login(email, password, clientOf(*request), [responder](Result<Session> session) {
            if (!session) {
                if (session.error().type == u"invalid-credentials"_s) {
                    return responder->send(HttpResponse::json(
                        QJsonObject{{u"message"_s, u"Invalid credentials"_s}}, 400));
                }
                return responder->fail(session.error());
            }
            responder->send(HttpResponse::json(
                QJsonObject{{u"token"_s, QString::fromLatin1(session->accessToken)},
                            {u"user"_s, compatUser(session->user, UserShape::Login)}}));
        });
    }, BodyKind::Json, Surface::CompatMessage);

    // Called on every app load: a bad token is {user:null} with 200, as the original did.
    router.add("GET"_ba, u"/api/auth/session"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        Result<Principal> principal = context.tokens->verifyAccessToken(request->bearerToken());
        if (!principal) {
            return responder->send(HttpResponse::json(QJsonObject{{u"user"_s, QJsonValue::Null}}));
        }
        rememberClient(context, *request, principal.value());
        context.accounts->me(principal->userId, true, [responder](Result<User> user) {
            if (!user) {
                if (user.error().status == 401) {
                    return responder->send(HttpResponse::json(QJsonObject{{u"user"_s, QJsonValue::Null}}));
                }
                return responder->fail(user.error());
            }
            responder->send(HttpResponse::json(
                QJsonObject{{u"user"_s, compatUser(user.value(), UserShape::Session)}}));
        });
    }, BodyKind::Json, Surface::CompatMessage);
}
