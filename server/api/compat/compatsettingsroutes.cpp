// SPDX-License-Identifier: MIT
#include "compatsettingsroutes.h"

#include "api/servercontext.h"
#include "channels/twilio/twiliorestclient.h"
#include "domain/conversations/teamscope.h"
#include "domain/inboxes/inboxservice.h"
#include "http/router.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

constexpr int kNumbersLimit = 20; // the original's page

QJsonObject compatNumber(const TwilioNumber &number)
{
    return QJsonObject{{u"sid"_s, number.sid},
                       {u"phoneNumber"_s, number.phoneNumber},
                       {u"friendlyName"_s, number.friendlyName}};
}

} // namespace

void registerCompatSettingsRoutes(Router &router, const ServerContext &context)
{
    // Credentials: the team's first inbox with an account SID and a stored token, else the
    // server-wide TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN. Listing numbers changes nothing and
    // shows no secret, so any member may (the original checked no role).
    router.add("GET"_ba, u"/api/settings/twilio/numbers"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.inboxes->firstCredentials(
            principal->userId, kCallersFirstTeam,
            [context, responder](Result<std::optional<InboxCredentials>> found) {
                if (!found) {
                    return responder->fail(found.error());
                }
                QString accountSid = context.config->twilioAccountSid;
                QByteArray authToken = context.config->twilioAuthToken;
                if (found.value()) {
                    accountSid = found.value()->accountSid;
                    authToken = found.value()->authToken;
                }
                if (accountSid.isEmpty() || authToken.isEmpty()) {
                    return responder->fail(ApiError::badRequest(
                        u"Twilio is not configured: add an inbox with credentials or set "
                        "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"_s));
                }
                context.twilio->listIncomingNumbers(
                    accountSid, authToken, kNumbersLimit, context.twilio,
                    [responder](Result<QList<TwilioNumber>> numbers) {
                        if (!numbers) {
                            return responder->fail(numbers.error());
                        }
                        QJsonArray data;
                        for (const TwilioNumber &number : numbers.value()) {
                            data.append(compatNumber(number));
                        }
                        responder->send(HttpResponse::json(QJsonObject{{u"numbers"_s, data}}));
                    });
            });
    }, BodyKind::Json, Surface::CompatError);
}
