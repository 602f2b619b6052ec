// SPDX-License-Identifier: MIT
#include "callservice.h"

#include "channels/twilio/twiliorestclient.h"
#include "core/ids.h"
#include "core/logging.h"
#include "domain/calls/calllog.h"
#include "domain/calls/outboundcall.h"
#include "domain/contacts/contactresolver.h"
#include "domain/conversations/conversationservice.h"
#include "domain/conversations/teamscope.h"
#include "domain/conversations/timekeyset.h"
#include "storage/callstore.h"
#include "storage/conversationstore.h"
#include "storage/database.h"
#include "storage/inboxstore.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

const QString kVoice = u"voice"_s;

// The inbox that answers calls to `inbox`'s number: itself if it is a voice inbox, else the
// team's voice inbox on the same number (a number may be both an SMS and a voice inbox, and the
// webhook gate may have matched the SMS one), else itself (no agents: voicemail).
Result<VoiceInbox> answeringInbox(DbConnection &db, const VoiceInbox &inbox)
{
    if (inbox.channel == kVoice) {
        return inbox;
    }
    Result<std::optional<Inbox>> voice = InboxStore::byAddress(db, inbox.teamId, kVoice, inbox.address);
    if (!voice) {
        return voice.error();
    }
    if (!voice.value()) {
        return inbox;
    }
    const Inbox &found = *voice.value();
    return VoiceInbox{found.teamId, found.id, found.channel, found.address, found.agentNumbers};
}

// The numbers Twilio puts in From when the caller withheld their number ("anonymous",
// "restricted", "blocked", "unavailable"): not a person to make a contact of.
bool withheld(const QString &from)
{
    static const QStringList kPlaceholders{u"+266696687"_s, u"+7378742833"_s, u"+2562533"_s,
                                           u"+8656696"_s};
    return kPlaceholders.contains(from);
}

// The caller (`phone`: E.164) as a contact with an open voice conversation; nullopt for a caller
// without a phone number (withheld, a SIP client), who is still put through.
Result<std::optional<std::pair<QString, QString>>> callerConversation(DbConnection &db,
                                                                     const VoiceInbox &inbox,
                                                                     const QString &phone)
{
    if (phone.isEmpty()) {
        return std::optional<std::pair<QString, QString>>();
    }
    Result<ResolvedContact> contact = ContactResolver::forAddress(db, inbox.teamId, phone);
    if (!contact) {
        return contact.error();
    }
    Result<std::optional<ContactSummary>> summary =
        ConversationStore::contact(db, inbox.teamId, contact->contact.id);
    if (!summary) {
        return summary.error();
    }
    if (!summary.value()) {
        return std::optional<std::pair<QString, QString>>();
    }
    Result<OpenedConversation> opened =
        ConversationService::findOrCreate(db, inbox.teamId, *summary.value(), inbox.inboxId, {});
    if (!opened) {
        return opened.error();
    }
    return std::optional(std::pair{summary.value()->id, opened->conversation.id});
}

// Who to ring: never the inbox's own number (a loop) nor the caller (an agent calling in).
QStringList agentsFor(const VoiceInbox &inbox, const QString &caller)
{
    QStringList agents;
    for (const QString &agent : inbox.agentNumbers) {
        if (agent != inbox.address && agent != caller && !agents.contains(agent)) {
            agents.append(agent);
        }
    }
    return agents;
}

bool isWebUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && !url.host().isEmpty()
        && (url.scheme() == u"https"_s || url.scheme() == u"http"_s);
}

} // namespace

CallService::CallService(Database *db, const SecretStore *secrets, TwilioRestClient *twilio,
                         OutboundUrls urls, QObject *parent)
    : QObject(parent), m_db(db), m_secrets(secrets), m_twilio(twilio), m_urls(std::move(urls))
{
}

void CallService::incoming(const VoiceInbox &inbox, const CallWebhook &hook,
                           Reply<IncomingPlan> done)
{
    m_db->run<IncomingPlan>(
        DbAccess::Write,
        [inbox, hook](DbConnection &db) -> Result<IncomingPlan> {
            return runInTransaction<IncomingPlan>(db, [&]() -> Result<IncomingPlan> {
                Result<VoiceInbox> answering = answeringInbox(db, inbox);
                if (!answering) {
                    return answering.error();
                }
                const QString phone =
                    withheld(hook.from) ? QString() : ContactResolver::e164Of(hook.from);
                IncomingPlan plan;
                plan.callerId = phone.isEmpty() ? answering->address : phone;
                plan.agents = agentsFor(answering.value(), phone);

                // Twilio retries an unanswered webhook: the call is then known already.
                Result<std::optional<Call>> known = CallLog::lockedCall(db, inbox.teamId, hook);
                if (!known) {
                    return known.error();
                }
                if (known.value()) {
                    plan.callId = known.value()->id;
                    return plan;
                }
                Result<std::optional<std::pair<QString, QString>>> caller =
                    callerConversation(db, answering.value(), phone);
                if (!caller) {
                    return caller.error();
                }
                const QDateTime now = QDateTime::currentDateTimeUtc();
                Call call;
                call.id = newId();
                call.teamId = answering->teamId;
                call.inboxId = answering->inboxId;
                if (caller.value()) {
                    call.contactId = caller.value()->first;
                    call.conversationId = caller.value()->second;
                }
                call.callSid = hook.callSid;
                call.direction = u"inbound"_s;
                call.status = hook.status.isEmpty() ? u"ringing"_s : hook.status;
                call.fromAddress = hook.from;
                call.toAddress = hook.to;
                call.createdAt = call.updatedAt = now;
                if (CallState::isTerminal(call.status)) {
                    call.endedAt = now;
                }
                if (Status stored = CallLog::insert(db, call); !stored) {
                    return stored.error();
                }
                plan.callId = call.id;
                return plan;
            });
        },
        this, std::move(done));
}

void CallService::dialEnded(const VoiceInbox &inbox, const CallWebhook &hook,
                            Reply<DialOutcome> done)
{
    m_db->run<DialOutcome>(
        DbAccess::Write,
        [inbox, hook](DbConnection &db) -> Result<DialOutcome> {
            return runInTransaction<DialOutcome>(db, [&]() -> Result<DialOutcome> {
                Result<std::optional<Call>> found = CallLog::lockedCall(db, inbox.teamId, hook);
                if (!found) {
                    return found.error();
                }
                if (!found.value()) {
                    qCInfo(lcTwilio) << "dial ended for an unknown call; hanging up";
                    return DialOutcome{};
                }
                Call call = *found.value();
                bool changed = CallLog::bindSid(call, hook.callSid);
                // DialCallStatus is final: the first one Twilio sent stands.
                if (call.dialStatus.isEmpty() && !hook.dialStatus.isEmpty()) {
                    call.dialStatus = hook.dialStatus;
                    changed = true;
                }
                if (Status settled = CallLog::settle(db, call, hook, changed); !settled) {
                    return settled.error();
                }
                const bool takeMessage = call.direction == u"inbound"_s
                    && call.dialStatus != u"completed"_s && !CallState::isTerminal(call.status);
                return DialOutcome{takeMessage ? AfterDial::Voicemail : AfterDial::Hangup, call.id};
            });
        },
        this, std::move(done));
}

void CallService::recording(const VoiceInbox &inbox, const CallWebhook &hook, Reply<Done> done)
{
    m_db->run<Done>(
        DbAccess::Write,
        [inbox, hook](DbConnection &db) -> Status {
            // Only a finished recording with sound in it is a voicemail.
            if ((!hook.recordingStatus.isEmpty() && hook.recordingStatus != u"completed"_s)
                || !isWebUrl(hook.recordingUrl)
                || (hook.recordingDuration && *hook.recordingDuration <= 0)) {
                return Done{};
            }
            return runInTransaction<Done>(db, [&]() -> Status {
                Result<std::optional<Call>> found = CallLog::lockedCall(db, inbox.teamId, hook);
                if (!found) {
                    return found.error();
                }
                if (!found.value()) {
                    qCInfo(lcTwilio) << "a recording for an unknown call; ignored";
                    return Done{};
                }
                Call call = *found.value();
                bool changed = CallLog::bindSid(call, hook.callSid);
                if (call.recordingUrl != hook.recordingUrl) {
                    call.recordingUrl = hook.recordingUrl;
                    call.recordingDurationSeconds = hook.recordingDuration;
                    call.voicemail = call.direction == u"inbound"_s;
                    changed = true;
                } else if (!call.recordingDurationSeconds && hook.recordingDuration) {
                    call.recordingDurationSeconds = hook.recordingDuration;
                    changed = true;
                }
                return CallLog::settle(db, call, hook, changed);
            });
        },
        this, std::move(done));
}

void CallService::statusChanged(const VoiceInbox &inbox, const CallWebhook &hook,
                                Reply<Done> done)
{
    m_db->run<Done>(
        DbAccess::Write,
        [inbox, hook](DbConnection &db) -> Status {
            return runInTransaction<Done>(db, [&]() -> Status {
                Result<std::optional<Call>> found = CallLog::lockedCall(db, inbox.teamId, hook);
                if (!found) {
                    return found.error();
                }
                if (!found.value()) {
                    qCInfo(lcTwilio) << "a status callback for an unknown call; ignored";
                    return Done{};
                }
                Call call = *found.value();
                bool changed = CallLog::bindSid(call, hook.callSid);
                changed = CallLog::applyStatus(call, hook.status, hook.duration) || changed;
                return CallLog::settle(db, call, hook, changed);
            });
        },
        this, std::move(done));
}

void CallService::agentAnswered(const VoiceInbox &inbox, const CallWebhook &hook,
                                Reply<ConnectPlan> done)
{
    m_db->run<ConnectPlan>(
        DbAccess::Write,
        [inbox, hook](DbConnection &db) -> Result<ConnectPlan> {
            return runInTransaction<ConnectPlan>(db, [&]() -> Result<ConnectPlan> {
                Result<std::optional<Call>> found = CallLog::lockedCall(db, inbox.teamId, hook);
                if (!found) {
                    return found.error();
                }
                if (!found.value() || found.value()->direction != u"outbound"_s) {
                    qCInfo(lcTwilio) << "connect for an unknown outbound call; hanging up";
                    return ConnectPlan{};
                }
                Call call = *found.value();
                bool changed = CallLog::bindSid(call, hook.callSid);
                changed = CallLog::applyStatus(call, hook.status, std::nullopt) || changed;
                if (Status settled = CallLog::settle(db, call, hook, changed); !settled) {
                    return settled.error();
                }
                if (CallState::isTerminal(call.status)) {
                    return ConnectPlan{call.id, {}, {}};
                }
                return ConnectPlan{call.id, call.toAddress, call.fromAddress};
            });
        },
        this, std::move(done));
}

void CallService::startOutbound(const QString &actorId, const QString &teamId,
                                const QString &conversationId, const QString &agentNumber,
                                Reply<Call> done)
{
    const SecretStore *secrets = m_secrets;
    m_db->run<PreparedCall>(
        DbAccess::Write,
        [=](DbConnection &db) -> Result<PreparedCall> {
            return runInTransaction<PreparedCall>(db, [&] {
                return OutboundCall::prepare(db, *secrets, actorId, teamId, conversationId,
                                              agentNumber);
            });
        },
        this, [this, done = std::move(done)](Result<PreparedCall> prepared) {
            if (!prepared) {
                return done(prepared.error());
            }
            const Call placed = prepared->call;
            const QString query = u"?callId="_s + placed.id;
            TwilioCallRequest request{placed.agentAddress, placed.fromAddress,
                                      m_urls.connect + query, m_urls.status + query,
                                      {u"initiated"_s, u"ringing"_s, u"answered"_s, u"completed"_s}};
            m_twilio->createCall(
                prepared->accountSid, prepared->authToken, request, this,
                [this, placed, done](Result<TwilioCall> twilio) {
                    if (!twilio && twilio.error().status == 504) {
                        return done(twilio.error());
                    }
                    m_db->run<Call>(
                        DbAccess::Write,
                        [placed, twilio](DbConnection &db) -> Result<Call> {
                            return runInTransaction<Call>(
                                db, [&] { return OutboundCall::recordPlacement(db, placed, twilio); });
                        },
                        this, [twilio, done](Result<Call> stored) {
                            done(twilio ? std::move(stored) : Result<Call>(twilio.error()));
                        });
                });
        });
}

void CallService::list(const QString &actorId, const QString &teamId, const PageRequest &page,
                       Reply<Page<Call>> done)
{
    m_db->run<Page<Call>>(
        DbAccess::Read,
        [=](DbConnection &db) -> Result<Page<Call>> {
            Result<PageRequest> checked = checkTimeCursor(page);
            if (!checked) {
                return checked.error();
            }
            Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Viewer);
            if (!scope) {
                return scope.error();
            }
            return CallStore::list(db, scope->teamId, checked.value());
        },
        this, std::move(done));
}
