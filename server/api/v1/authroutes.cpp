// SPDX-License-Identifier: MIT
#include "authroutes.h"

#include "api/servercontext.h"
#include "api/v1/accountjson.h"
#include "api/validation.h"
#include "domain/accounts/accountservice.h"
#include "http/router.h"

using namespace Qt::StringLiterals;

namespace {

AccountService::Client clientOf(const HttpRequest &request)
{
    return {request.clientIp(), request.userAgent()};
}

auto answerSession(const ResponderPtr &responder)
{
    return [responder](Result<Session> session) {
        if (!session) {
            return responder->fail(session.error());
        }
        responder->send(HttpResponse::json(sessionJson(session.value()),
                                           session->created ? 201 : 200));
    };
}

auto answerUser(const ResponderPtr &responder)
{
    return [responder](Result<User> user) {
        if (!user) {
            return responder->fail(user.error());
        }
        responder->send(HttpResponse::json(QJsonObject{{u"user"_s, userJson(user.value())}}));
    };
}

} // namespace

void registerAuthRoutes(Router &router, const ServerContext &context)
{
    router.add("POST"_ba, u"/api/v1/auth/signup"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
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
        context.accounts->signUp(email, password, name, clientOf(*request), answerSession(responder));
    });

    router.add("POST"_ba, u"/api/v1/auth/login"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
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
        context.accounts->login(email, password, clientOf(*request), answerSession(responder));
    });

    router.add("POST"_ba, u"/api/v1/auth/refresh"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        std::optional<QJsonObject> body = jsonBody(responder);
        if (!body) {
            return;
        }
        JsonInput input(*body);
        const QString token = input.requiredString(u"refreshToken"_s, 200);
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.accounts->refresh(token, clientOf(*request), answerSession(responder));
    });

    router.add("POST"_ba, u"/api/v1/auth/logout"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        std::optional<QJsonObject> body = jsonBody(responder);
        if (!body) {
            return;
        }
        JsonInput input(*body);
        const QString token = input.requiredString(u"refreshToken"_s, 200);
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.accounts->logout(token, [responder](Status status) {
            if (!status) {
                return responder->fail(status.error());
            }
            responder->send(HttpResponse::noContent());
        });
    });

    router.add("GET"_ba, u"/api/v1/auth/me"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        const std::optional<Principal> principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.accounts->me(principal->userId, false, answerUser(responder));
    });

    router.add("PATCH"_ba, u"/api/v1/auth/me"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        AccountService::ProfileChange change;
        change.name = input.optionalString(u"name"_s, 200);
        if (change.name && change.name->isEmpty()) {
            input.addError(u"name"_s, u"must not be empty"_s);
        }
        change.avatarUrl = input.optionalUrl(u"avatarUrl"_s);
        if (input.has(u"password"_s)) {
            change.password = input.requiredPassword(u"password"_s);
            change.currentPassword = input.requiredString(u"currentPassword"_s, 1000, true);
        }
        for (const QString &key : body->keys()) {
            static const QStringList known{u"name"_s, u"avatarUrl"_s, u"password"_s,
                                           u"currentPassword"_s};
            if (!known.contains(key)) {
                input.addError(key, u"is not a field of the profile"_s);
            }
        }
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.accounts->updateMe(principal->userId, change, answerUser(responder));
    });
}
