// SPDX-License-Identifier: MIT
#include "twiliovoiceroutes.h"

#include "api/servercontext.h"
#include "channels/twilio/twiliowebhookgate.h"
#include "channels/twilio/twiml.h"
#include "domain/calls/callservice.h"
#include "http/router.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

const QString kBase = u"/api/v1/webhooks/twilio/voice"_s;
constexpr int kRingSeconds = 20;
constexpr int kVoicemailSeconds = 120;
constexpr qsizetype kMaxIdLength = 64;

HttpResponse twimlResponse(const QByteArray &twiml)
{
    return HttpResponse::text(twiml, 200, "text/xml"_ba);
}

// PUBLIC_URL + a voice webhook path: the URL Twilio will request and sign.
QString webhookUrl(const ServerContext &context, const QString &path)
{
    QString base = context.config->publicUrl;
    while (base.endsWith(u'/')) {
        base.chop(1);
    }
    return base + kBase + path;
}

std::optional<qint64> seconds(const QString &text)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    return ok && value >= 0 ? std::optional<qint64>(value) : std::nullopt;
}

CallWebhook hookFrom(const TwilioForm &form, const HttpRequest &request)
{
    CallWebhook hook;
    hook.callSid = form.value(u"CallSid");
    hook.callId = request.queryValue(u"callId"_s).left(kMaxIdLength);
    hook.status = form.value(u"CallStatus");
    hook.from = form.value(u"From");
    hook.to = form.value(u"To");
    hook.duration = seconds(form.value(u"CallDuration"));
    hook.dialStatus = form.value(u"DialCallStatus");
    hook.dialDuration = seconds(form.value(u"DialCallDuration"));
    hook.recordingUrl = form.value(u"RecordingUrl");
    hook.recordingStatus = form.value(u"RecordingStatus");
    hook.recordingDuration = seconds(form.value(u"RecordingDuration"));
    return hook;
}

VoiceInbox voiceInboxOf(const InboxRoute &route)
{
    return VoiceInbox{route.teamId, route.inboxId, route.channel, route.address,
                      route.agentNumbers};
}

// The voicemail TwiML of a call: the recording comes back to /voice/recording, and once stored
// to /voice/recording-status, whose callback names no number, so its URL carries the inbox's.
QByteArray voicemailTwiml(const ServerContext &context, const QString &callId,
                          const QString &inboxAddress)
{
    QString query = u"?callId="_s + QString::fromLatin1(QUrl::toPercentEncoding(callId));
    Twiml::Voicemail voicemail;
    voicemail.prompt = u"Sorry, nobody can take your call right now. Please leave a message "
                       "after the beep."_s;
    voicemail.maxLengthSeconds = kVoicemailSeconds;
    voicemail.action = webhookUrl(context, u"/recording"_s) + query;
    voicemail.recordingStatusCallback =
        webhookUrl(context, u"/recording-status"_s) + query + u"&inboxAddress="_s
        + QString::fromLatin1(QUrl::toPercentEncoding(inboxAddress));
    return Twiml::voicemail(voicemail);
}

// Verifies the webhook, then hands its inbox and parsed fields to `next`; a failed check is
// answered 403 (or 503) here.
using Verified = std::function<void(const VoiceInbox &, const CallWebhook &)>;
void whenVerified(const ServerContext &context, const RequestPtr &request,
                  const ResponderPtr &responder, Verified next)
{
    context.twilioGate->verify(request, [request, responder, next = std::move(next)](
                                            Result<VerifiedWebhook> verified) {
        if (!verified) {
            return responder->fail(verified.error());
        }
        next(voiceInboxOf(verified->inbox), hookFrom(verified->form, *request));
    });
}

} // namespace

void registerTwilioVoiceRoutes(Router &router, const ServerContext &context)
{
    // The number's "A call comes in" webhook: ring every agent at once for kRingSeconds; the
    // caller hears ringing meanwhile (answerOnBridge). No agents: straight to voicemail.
    router.add("POST"_ba, kBase, [context](const RequestPtr &request, const ResponderPtr &responder) {
        whenVerified(context, request, responder, [context, responder](const VoiceInbox &inbox, const CallWebhook &hook) {
            context.calls->incoming(inbox, hook, [context, responder, inbox](Result<IncomingPlan> plan) {
                if (!plan) {
                    return responder->fail(plan.error());
                }
                if (plan->agents.isEmpty()) {
                    return responder->send(twimlResponse(voicemailTwiml(context, plan->callId, inbox.address)));
                }
                Twiml::Dial dial;
                dial.callerId = plan->callerId;
                dial.timeoutSeconds = kRingSeconds;
                dial.action = webhookUrl(context, u"/dial"_s) + u"?callId="_s
                    + QString::fromLatin1(QUrl::toPercentEncoding(plan->callId));
                dial.numbers = plan->agents;
                responder->send(twimlResponse(Twiml::dial(dial)));
            });
        });
    }, BodyKind::Form, Surface::Problem);

    // <Dial action>: how the ringing (or, outbound, the contact's leg) ended. Nobody answered an
    // incoming call: take a voicemail.
    router.add("POST"_ba, kBase + u"/dial"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        whenVerified(context, request, responder, [context, responder](const VoiceInbox &inbox, const CallWebhook &hook) {
            context.calls->dialEnded(inbox, hook, [context, responder, inbox](Result<DialOutcome> outcome) {
                if (!outcome) {
                    return responder->fail(outcome.error());
                }
                if (outcome->next == AfterDial::Hangup) {
                    return responder->send(twimlResponse(Twiml::hangup()));
                }
                responder->send(twimlResponse(voicemailTwiml(context, outcome->callId, inbox.address)));
            });
        });
    }, BodyKind::Form, Surface::Problem);

    // <Record action> (the caller finished or hung up) and the recording status callback (the
    // file is ready): either makes the voicemail entry; the second changes nothing more.
    for (const QString &path : {u"/recording"_s, u"/recording-status"_s}) {
        router.add("POST"_ba, kBase + path, [context](const RequestPtr &request, const ResponderPtr &responder) {
            whenVerified(context, request, responder, [context, responder](const VoiceInbox &inbox, const CallWebhook &hook) {
                context.calls->recording(inbox, hook, [responder](Status stored) {
                    if (!stored) {
                        return responder->fail(stored.error());
                    }
                    responder->send(twimlResponse(Twiml::hangup()));
                });
            });
        }, BodyKind::Form, Surface::Problem);
    }

    // Call status callbacks (the number's "Call status changes" URL, and outbound calls').
    router.add("POST"_ba, kBase + u"/status"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        whenVerified(context, request, responder, [context, responder](const VoiceInbox &inbox, const CallWebhook &hook) {
            context.calls->statusChanged(inbox, hook, [responder](Status stored) {
                if (!stored) {
                    return responder->fail(stored.error());
                }
                responder->send(twimlResponse(Twiml::empty()));
            });
        });
    }, BodyKind::Form, Surface::Problem);

    // An outbound call's agent answered: connect the contact, shown our number.
    router.add("POST"_ba, kBase + u"/connect"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        whenVerified(context, request, responder, [context, responder](const VoiceInbox &inbox, const CallWebhook &hook) {
            context.calls->agentAnswered(inbox, hook, [context, responder](Result<ConnectPlan> plan) {
                if (!plan) {
                    return responder->fail(plan.error());
                }
                if (plan->contact.isEmpty()) {
                    return responder->send(twimlResponse(Twiml::hangup()));
                }
                Twiml::Dial dial;
                dial.callerId = plan->callerId;
                dial.timeoutSeconds = kRingSeconds + 10; // a person, not a desk phone: let it ring
                dial.action = webhookUrl(context, u"/dial"_s) + u"?callId="_s
                    + QString::fromLatin1(QUrl::toPercentEncoding(plan->callId));
                dial.numbers = {plan->contact};
                responder->send(twimlResponse(Twiml::dial(dial)));
            });
        });
    }, BodyKind::Form, Surface::Problem);
}
