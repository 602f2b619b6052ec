// SPDX-License-Identifier: MIT
#pragma once
// The database steps of an outbound call: before Twilio is asked (who may call whom from which
// inbox, with which credentials; the call stored `queued`) and after (Twilio's sid, or the call
// failed when Twilio refused it).

#include "channels/twilio/twiliorestclient.h"
#include "core/result.h"
#include "domain/calls/calltypes.h"
#include "storage/dbconnection.h"

class SecretStore;

struct PreparedCall
{
    Call call;
    QString accountSid;
    QByteArray authToken;
};

namespace OutboundCall {

// Editor role. The conversation's inbox if it takes calls, else the team's first voice inbox;
// `agentNumber` (empty: the first) must be one of its agent numbers.
[[nodiscard]] Result<PreparedCall> prepare(DbConnection &db, const SecretStore &secrets,
                                           const QString &actorId, const QString &teamId,
                                           const QString &conversationId,
                                           const QString &agentNumber);
// Twilio's answer on the call (its sid and first status), or, when Twilio refused it, the call
// ended as failed. Not after a timeout: Twilio may have placed the call, and its callbacks then
// name it by our id.
[[nodiscard]] Result<Call> recordPlacement(DbConnection &db, const Call &placed,
                                           const Result<TwilioCall> &twilio);

} // namespace OutboundCall
