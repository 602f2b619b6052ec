// SPDX-License-Identifier: MIT
#include "servercontext.h"

#include "api/validation.h"

std::optional<Principal> authenticate(const ServerContext &context, const ResponderPtr &responder)
{
    Result<Principal> principal = context.tokens->verifyAccessToken(responder->request().bearerToken());
    if (!principal) {
        responder->fail(principal.error());
        return std::nullopt;
    }
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
