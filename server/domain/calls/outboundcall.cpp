// SPDX-License-Identifier: MIT
#include "outboundcall.h"

#include "config/secretstore.h"
#include "core/ids.h"
#include "core/logging.h"
#include "domain/calls/calllog.h"
#include "domain/conversations/conversationservice.h"
#include "domain/conversations/teamscope.h"
#include "storage/callstore.h"
#include "storage/conversationstore.h"
#include "storage/inboxstore.h"

using namespace Qt::StringLiterals;

namespace OutboundCall {

namespace {

const QString kVoice = u"voice"_s;

ApiError cannotCall(const QString &detail)
{
    return ApiError{409, u"call-not-possible"_s, u"The call cannot be made"_s, detail, {}, 0};
}

} // namespace

Result<PreparedCall> prepare(DbConnection &db, const SecretStore &secrets, const QString &actorId,
                             const QString &teamId, const QString &conversationId,
                             const QString &agentNumber)
{
    Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Editor);
    if (!scope) {
        return scope.error();
    }
    Result<Conversation> conversation =
        ConversationService::existing(db, scope->teamId, conversationId);
    if (!conversation) {
        return conversation.error();
    }
    Result<std::optional<ContactSummary>> contact =
        liveContact(db, scope->teamId, conversation->contact.id);
    if (!contact) {
        return contact.error();
    }
    if (!contact.value() || contact.value()->phone.isEmpty()) {
        return cannotCall(u"The contact has no phone number to call."_s);
    }

    // The conversation's inbox if it takes calls, else the team's first voice inbox.
    std::optional<Inbox> inbox;
    if (!conversation->inboxId.isEmpty()) {
        Result<std::optional<Inbox>> own =
            InboxStore::byId(db, scope->teamId, conversation->inboxId);
        if (!own) {
            return own.error();
        }
        if (own.value() && own.value()->channel == kVoice) {
            inbox = own.value();
        }
    }
    if (!inbox) {
        Result<std::optional<QString>> fallback =
            ConversationStore::defaultInbox(db, scope->teamId, kVoice);
        if (!fallback) {
            return fallback.error();
        }
        if (fallback.value()) {
            Result<std::optional<Inbox>> voice = InboxStore::byId(db, scope->teamId, *fallback.value());
            if (!voice) {
                return voice.error();
            }
            inbox = voice.value();
        }
    }
    if (!inbox) {
        return cannotCall(u"The team has no voice inbox to call from."_s);
    }
    if (inbox->agentNumbers.isEmpty()) {
        return cannotCall(u"The voice inbox has no agent numbers to ring first."_s);
    }
    // Only a configured agent's phone: an editor cannot make the team's account dial anywhere.
    const QString agent = agentNumber.isEmpty() ? inbox->agentNumbers.first() : agentNumber;
    if (!inbox->agentNumbers.contains(agent)) {
        return ApiError::validation(
            {{u"agentNumber"_s, u"is not one of the voice inbox's agent numbers"_s}});
    }
    if (inbox->accountSid.isEmpty() || !inbox->credentialsSet()) {
        return cannotCall(u"The voice inbox has no Twilio credentials."_s);
    }
    Result<std::optional<QByteArray>> token = secrets.get(inbox->credentialsRef);
    if (!token) {
        qCWarning(lcConfig) << "inbox" << inbox->id << "credentials unreadable";
    }
    if (!token || !token.value() || token.value()->isEmpty()) {
        return cannotCall(u"The voice inbox's Twilio credentials are not readable here."_s);
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    Call call;
    call.id = newId();
    call.teamId = scope->teamId;
    call.inboxId = inbox->id;
    call.conversationId = conversation->id;
    call.contactId = contact.value()->id;
    call.direction = u"outbound"_s;
    call.status = u"queued"_s;
    call.fromAddress = inbox->address;
    call.toAddress = contact.value()->phone;
    call.agentAddress = agent;
    call.createdBy = actorId;
    call.createdAt = call.updatedAt = now;
    if (Status stored = CallLog::insert(db, call); !stored) {
        return stored.error();
    }
    return PreparedCall{call, inbox->accountSid, *token.value()};
}

Result<Call> recordPlacement(DbConnection &db, const Call &placed, const Result<TwilioCall> &twilio)
{
    Result<std::optional<Call>> fresh =
        CallLog::relock(db, placed, twilio ? twilio->sid : QString());
    if (!fresh) {
        return fresh.error();
    }
    if (!fresh.value()) {
        return ApiError::notFound(u"The call was deleted meanwhile."_s);
    }
    Call call = *fresh.value();
    bool changed = false;
    if (twilio) {
        changed = CallLog::bindSid(call, twilio->sid);
        changed = CallLog::applyStatus(call, twilio->status, std::nullopt) || changed;
    } else {
        changed = CallLog::applyStatus(call, u"failed"_s, std::nullopt);
    }
    if (changed) {
        if (Status saved = CallLog::save(db, call); !saved) {
            return saved.error();
        }
    }
    return call;
}

} // namespace OutboundCall
