// SPDX-License-Identifier: MIT
#include "calltypes.h"

#include "core/jsonvalues.h"

#include <QJsonValue>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Twilio's CallStatus words in the order a call goes through them; every end is one rank.
int rankOf(const QString &status)
{
    if (status == u"queued"_s) {
        return 0;
    }
    if (status == u"initiated"_s) {
        return 1;
    }
    if (status == u"ringing"_s) {
        return 2;
    }
    if (status == u"in-progress"_s) {
        return 3;
    }
    if (CallState::isTerminal(status)) {
        return 4;
    }
    return -1;
}

QJsonValue optionalNumber(const std::optional<qint64> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

} // namespace

namespace CallState {

bool isTerminal(const QString &status)
{
    return status == u"completed"_s || status == u"busy"_s || status == u"failed"_s
        || status == u"no-answer"_s || status == u"canceled"_s;
}

bool advances(const QString &current, const QString &next)
{
    const int to = rankOf(next);
    return to >= 0 && to > rankOf(current);
}

} // namespace CallState

QString callEntryKindName(CallEntryKind kind)
{
    switch (kind) {
    case CallEntryKind::Voicemail:
        return u"voicemail"_s;
    case CallEntryKind::Missed:
        return u"missed"_s;
    case CallEntryKind::Answered:
        return u"call"_s;
    case CallEntryKind::Outbound:
        return u"outbound"_s;
    case CallEntryKind::OutboundUnanswered:
        return u"outbound-unanswered"_s;
    }
    return {};
}

QString callDuration(qint64 seconds)
{
    seconds = std::max<qint64>(0, seconds);
    const qint64 hours = seconds / 3600;
    const qint64 minutes = (seconds % 3600) / 60;
    const QString secs = QString::number(seconds % 60).rightJustified(2, u'0');
    if (hours > 0) {
        return u"%1:%2:%3"_s.arg(QString::number(hours),
                                 QString::number(minutes).rightJustified(2, u'0'), secs);
    }
    return u"%1:%2"_s.arg(QString::number(minutes), secs);
}

QString callEntryBody(CallEntryKind kind, std::optional<qint64> seconds)
{
    const QString length = seconds ? u" ("_s + callDuration(*seconds) + u')' : QString();
    switch (kind) {
    case CallEntryKind::Voicemail:
        return u"Voicemail"_s + length;
    case CallEntryKind::Missed:
        return u"Missed call"_s;
    case CallEntryKind::Answered:
        return u"Call"_s + length;
    case CallEntryKind::Outbound:
        return u"Outbound call"_s + length;
    case CallEntryKind::OutboundUnanswered:
        return u"Outbound call, not answered"_s;
    }
    return {};
}

QJsonObject callJson(const Call &call)
{
    return QJsonObject{{u"id"_s, call.id},
                       {u"inboxId"_s, jsonTextOrNull(call.inboxId)},
                       {u"conversationId"_s, jsonTextOrNull(call.conversationId)},
                       {u"contactId"_s, jsonTextOrNull(call.contactId)},
                       {u"callSid"_s, jsonTextOrNull(call.callSid)},
                       {u"direction"_s, call.direction},
                       {u"status"_s, call.status},
                       {u"from"_s, jsonTextOrNull(call.fromAddress)},
                       {u"to"_s, jsonTextOrNull(call.toAddress)},
                       {u"agentNumber"_s, jsonTextOrNull(call.agentAddress)},
                       {u"dialStatus"_s, jsonTextOrNull(call.dialStatus)},
                       {u"durationSeconds"_s, optionalNumber(call.durationSeconds)},
                       {u"voicemail"_s, call.voicemail},
                       {u"recordingUrl"_s, jsonTextOrNull(call.recordingUrl)},
                       {u"recordingDurationSeconds"_s,
                        optionalNumber(call.recordingDurationSeconds)},
                       {u"messageId"_s, jsonTextOrNull(call.messageId)},
                       {u"createdBy"_s, jsonTextOrNull(call.createdBy)},
                       {u"createdAt"_s, isoTimeOrNull(call.createdAt)},
                       {u"updatedAt"_s, isoTimeOrNull(call.updatedAt)},
                       {u"endedAt"_s, isoTimeOrNull(call.endedAt)}};
}
