// SPDX-License-Identifier: MIT
#include "servercontext.h"

#include "api/validation.h"
#include "auth/recentclients.h"

void rememberClient(const ServerContext &context, const HttpRequest &request,
                    const Principal &principal)
{
    if (context.recentClients) {
        context.recentClients->remember({request.clientIp(), request.header("origin"),
                                         request.header("user-agent")},
                                        principal.userId, principal.expiresAt);
    }
}

std::optional<Principal> authenticate(const ServerContext &context, const ResponderPtr &responder)
{
    Result<Principal> principal = context.tokens->verifyAccessToken(responder->request().bearerToken());
    if (!principal) {
        responder->fail(principal.error());
        return std::nullopt;
    }
    rememberClient(context, responder->request(), principal.value());
    return principal.value();
}

std::optional<QJsonObject> jsonBody(const ResponderPtr &responder)
{
    std::optional<QJsonObject> object = responder->request().jsonObject();
    if (!object) {
        responder->fail(invalidJsonBody());
    }
    return object;
}

std::optional<AuthenticatedBody> authenticatedBody(const ServerContext &context,
                                                   const ResponderPtr &responder)
{
    std::optional<Principal> principal = authenticate(context, responder);
    if (!principal) {
        return std::nullopt;
    }
    std::optional<QJsonObject> body = jsonBody(responder);
    if (!body) {
        return std::nullopt;
    }
    return AuthenticatedBody{std::move(*principal), std::move(*body)};
}

std::optional<ReadCache::Ticket> answerFromCache(const ServerContext &context,
                                                 const Principal &principal,
                                                 const ResponderPtr &responder)
{
    if (!context.readCache) {
        return ReadCache::Ticket{};
    }
    ReadCache::Ticket ticket = context.readCache->ticket(principal.userId, responder->request());
    if (std::optional<QByteArray> stored = context.readCache->find(ticket)) {
        responder->send(HttpResponse::rawJson(std::move(*stored)));
        return std::nullopt;
    }
    return ticket;
}

void keepAndSend(const ServerContext &context, const ReadCache::Ticket &ticket,
                 const ResponderPtr &responder, QByteArray json)
{
    if (context.readCache) {
        context.readCache->store(ticket, json);
    }
    responder->send(HttpResponse::rawJson(std::move(json)));
}
