// SPDX-License-Identifier: MIT
#include "twiliomessageroutes.h"

#include "api/servercontext.h"
#include "channels/twilio/twiliostatuscallbacks.h"
#include "channels/twilio/twiliowebhookgate.h"
#include "core/logging.h"
#include "domain/inbound/inboundmessageservice.h"
#include "http/router.h"

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxMedia = 10;          // Twilio's own limit per message
constexpr qsizetype kMaxSidLength = 64; // SM/MM + 32 hex; anything far longer is not Twilio's
constexpr qsizetype kMaxBodyLength = 10'000;

const QByteArray kEmptyTwiml = R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)"_ba;

ApiError badWebhook(const QString &detail)
{
    return ApiError{400, u"bad-webhook"_s, u"Bad webhook"_s, detail, {}, 0};
}

// The message a verified inbound webhook describes, or why it cannot be one.
Result<InboundMessage> inboundFrom(const VerifiedWebhook &webhook)
{
    const TwilioForm &form = webhook.form;
    InboundMessage inbound;
    inbound.teamId = webhook.inbox.teamId;
    inbound.inboxId = webhook.inbox.inboxId;
    inbound.providerSid = form.value(u"MessageSid");
    if (inbound.providerSid.isEmpty()) {
        inbound.providerSid = form.value(u"SmsMessageSid");
    }
    inbound.from = form.value(u"From");
    if (inbound.providerSid.isEmpty() || inbound.from.isEmpty()) {
        return badWebhook(u"MessageSid and From are required."_s);
    }
    if (inbound.providerSid.size() > kMaxSidLength) {
        return badWebhook(u"MessageSid is too long."_s);
    }
    inbound.channel = webhook.inbox.channel == u"whatsapp"_s
                              || inbound.from.startsWith(u"whatsapp:"_s)
                          ? u"whatsapp"_s
                          : u"sms"_s;
    inbound.body = form.value(u"Body").left(kMaxBodyLength);
    inbound.profileName = form.value(u"ProfileName");
    inbound.optOutType = form.value(u"OptOutType");
    const int count = std::clamp(form.value(u"NumMedia").toInt(), 0, kMaxMedia);
    for (int i = 0; i < count; ++i) {
        const QString url = form.value(u"MediaUrl%1"_s.arg(i));
        if (!url.isEmpty()) {
            inbound.media.append(MediaItem(url, form.value(u"MediaContentType%1"_s.arg(i))));
        }
    }
    QJsonObject metadata;
    for (const auto &[parameter, key] : {std::pair{u"NumSegments", u"numSegments"},
                                         std::pair{u"FromCountry", u"fromCountry"},
                                         std::pair{u"FromState", u"fromState"},
                                         std::pair{u"FromCity", u"fromCity"},
                                         std::pair{u"WaId", u"waId"}}) {
        const QString value = form.value(QStringView(parameter));
        if (!value.isEmpty()) {
            metadata.insert(QString::fromUtf16(key), value.left(100));
        }
    }
    inbound.metadata = metadata;
    return inbound;
}

void receiveMessage(const ServerContext &context, InboundMessageService *inbound,
                    const RequestPtr &request, const ResponderPtr &responder)
{
    context.twilioGate->verify(request, [inbound, responder](Result<VerifiedWebhook> webhook) {
        if (!webhook) {
            return responder->fail(webhook.error());
        }
        Result<InboundMessage> message = inboundFrom(webhook.value());
        if (!message) {
            return responder->fail(message.error());
        }
        inbound->record(message.value(), [responder](Result<InboundResult> recorded) {
            if (!recorded) {
                // 5xx: with "#rp=5xx" on its URL Twilio retries; the MessageSid keeps that safe.
                return responder->fail(recorded.error());
            }
            responder->send(HttpResponse::text(kEmptyTwiml, 200, "text/xml"_ba));
        });
    });
}

} // namespace

void registerTwilioMessageRoutes(Router &router, const ServerContext &context)
{
    InboundMessageService *inbound = context.inboundMessages;
    TwilioStatusCallbacks *statuses = context.statusCallbacks;
    const auto receive = [context, inbound](const RequestPtr &request,
                                            const ResponderPtr &responder) {
        receiveMessage(context, inbound, request, responder);
    };
    router.add("POST"_ba, u"/api/v1/webhooks/twilio/messages"_s, receive, BodyKind::Form);
    router.add("POST"_ba, u"/api/webhooks/twilio"_s, receive, BodyKind::Form, Surface::CompatError);

    router.add("POST"_ba, u"/api/v1/webhooks/twilio/status"_s,
               [context, statuses](const RequestPtr &request, const ResponderPtr &responder) {
        context.twilioGate->verify(request, [statuses, responder](Result<VerifiedWebhook> webhook) {
            if (!webhook) {
                return responder->fail(webhook.error());
            }
            const TwilioForm &form = webhook->form;
            StatusCallback callback;
            callback.teamId = webhook->inbox.teamId;
            callback.messageSid = form.value(u"MessageSid");
            if (callback.messageSid.isEmpty()) {
                callback.messageSid = form.value(u"SmsSid");
            }
            callback.status = form.value(u"MessageStatus");
            if (callback.status.isEmpty()) {
                callback.status = form.value(u"SmsStatus");
            }
            callback.errorCode = form.value(u"ErrorCode").left(16);
            if (callback.messageSid.isEmpty() || callback.status.isEmpty()
                || callback.messageSid.size() > kMaxSidLength) {
                return responder->fail(badWebhook(u"MessageSid and MessageStatus are required."_s));
            }
            statuses->apply(callback, [responder, callback](Result<StatusCallbackResult> applied) {
                if (!applied) {
                    return responder->fail(applied.error());
                }
                if (applied.value() == StatusCallbackResult::UnknownMessage) {
                    qCInfo(lcTwilio) << "status callback for an unknown message" << callback.messageSid;
                }
                responder->send(HttpResponse::noContent());
            });
        });
    }, BodyKind::Form);
}
