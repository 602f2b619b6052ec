// SPDX-License-Identifier: MIT
#pragma once
// The call log model (the `calls` table) shared by the storage, domain and API layers, and the
// rules of a call's state: Twilio's CallStatus words only move forward, and a finished call
// (completed, busy, failed, no-answer, canceled) stays finished however late or often Twilio's
// callbacks repeat themselves. Also what a voice webhook says, as the domain reads it.

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

struct Call
{
    QString id;
    QString teamId;
    QString inboxId;
    QString conversationId; // empty for a caller without a phone number (anonymous)
    QString contactId;
    QString callSid;        // Twilio's CallSid of our leg; empty until Twilio names it
    QString direction;      // inbound | outbound
    QString status;         // Twilio's CallStatus: queued, initiated, ringing, in-progress, …
    QString fromAddress;
    QString toAddress;      // inbound: our number; outbound: the contact
    QString agentAddress;   // outbound: the agent's phone rung first
    QString dialStatus;     // DialCallStatus of the bridged leg (agent or contact) once known
    std::optional<qint64> durationSeconds;
    QString recordingUrl;
    std::optional<qint64> recordingDurationSeconds;
    bool voicemail = false;
    QString messageId;      // the conversation entry written for this call
    QString entryKind;      // what that entry says (callEntryKindName), to upgrade it only forward
    QString createdBy;      // outbound: who started it
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime endedAt;
};

// The inbox a verified voice webhook is for (from the webhook gate).
struct VoiceInbox
{
    QString teamId;
    QString inboxId;
    QString channel;
    QString address;
    QStringList agentNumbers;
};

// What Twilio posted, already parsed; absent fields are empty.
struct CallWebhook
{
    QString callSid;
    QString callId; // our id, from the callback URL's query (outbound calls)
    QString status; // CallStatus
    QString from;
    QString to;
    std::optional<qint64> duration; // CallDuration (status callbacks)
    QString dialStatus;             // DialCallStatus (<Dial action>)
    std::optional<qint64> dialDuration;
    QString recordingUrl;
    QString recordingStatus; // recording status callbacks; empty from <Record action>
    std::optional<qint64> recordingDuration;
};

namespace CallState {

// True for the words Twilio uses for a call that is over.
[[nodiscard]] bool isTerminal(const QString &status);
// True when `next` is a known CallStatus later than `current` (unknown words never apply).
[[nodiscard]] bool advances(const QString &current, const QString &next);

} // namespace CallState

// What a call's conversation entry says: "Voicemail (0:42)", "Missed call", "Call (1:23)", …
enum class CallEntryKind { Voicemail, Missed, Answered, Outbound, OutboundUnanswered };

[[nodiscard]] QString callEntryKindName(CallEntryKind kind);
[[nodiscard]] QString callEntryBody(CallEntryKind kind, std::optional<qint64> seconds);
// "0:42", "12:05", "1:02:03"
[[nodiscard]] QString callDuration(qint64 seconds);

// The /api/v1 shape, also the payload of the `call.updated` event.
[[nodiscard]] QJsonObject callJson(const Call &call);
