// SPDX-License-Identifier: MIT
#include "calllog.h"

#include "domain/calls/callentries.h"
#include "storage/callstore.h"
#include "storage/eventstore.h"

using namespace Qt::StringLiterals;

namespace CallLog {

namespace {

// What the call's conversation entry should say by now; nullopt while it is still going on.
std::optional<std::pair<CallEntryKind, std::optional<qint64>>> entryFor(const Call &call,
                                                                       const CallWebhook &hook)
{
    const bool answered = call.dialStatus == u"completed"_s;
    const std::optional<qint64> talked = hook.dialDuration ? hook.dialDuration : call.durationSeconds;
    if (call.direction == u"outbound"_s) {
        if (answered) {
            return std::pair{CallEntryKind::Outbound, talked};
        }
        if (!call.dialStatus.isEmpty() || CallState::isTerminal(call.status)) {
            return std::pair{CallEntryKind::OutboundUnanswered, std::optional<qint64>()};
        }
        return std::nullopt;
    }
    if (call.voicemail && !call.recordingUrl.isEmpty()) {
        return std::pair{CallEntryKind::Voicemail, call.recordingDurationSeconds};
    }
    if (answered) {
        return std::pair{CallEntryKind::Answered, talked};
    }
    // Not while the caller may still be leaving a voicemail: only once the call is over.
    if (CallState::isTerminal(call.status)) {
        return std::pair{CallEntryKind::Missed, std::optional<qint64>()};
    }
    return std::nullopt;
}

} // namespace

Status save(DbConnection &db, Call &call)
{
    call.updatedAt = QDateTime::currentDateTimeUtc();
    if (Status updated = CallStore::update(db, call); !updated) {
        return updated.error();
    }
    if (Result<qint64> event = EventStore::append(db, call.teamId, u"call.updated"_s, callJson(call));
        !event) {
        return event.error();
    }
    return Done{};
}

Status insert(DbConnection &db, const Call &call)
{
    if (Status inserted = CallStore::insert(db, call); !inserted) {
        return inserted.error();
    }
    if (Result<qint64> event = EventStore::append(db, call.teamId, u"call.updated"_s, callJson(call));
        !event) {
        return event.error();
    }
    return Done{};
}

Result<std::optional<Call>> lockedCall(DbConnection &db, const QString &teamId,
                                       const CallWebhook &hook)
{
    std::optional<Call> found;
    if (!hook.callSid.isEmpty()) {
        if (Status locked = db.lockKey(u"call-sid:"_s + hook.callSid); !locked) {
            return locked.error();
        }
        Result<std::optional<Call>> bySid = CallStore::bySid(db, hook.callSid);
        if (!bySid) {
            return bySid.error();
        }
        found = bySid.value();
    }
    if (!found && !hook.callId.isEmpty()) {
        Result<std::optional<Call>> byId = CallStore::byId(db, teamId, hook.callId);
        if (!byId) {
            return byId.error();
        }
        if (byId.value() && (byId.value()->callSid.isEmpty() || byId.value()->callSid == hook.callSid)) {
            found = byId.value();
        }
    }
    if (!found || found->teamId != teamId) {
        return std::optional<Call>();
    }
    if (Status locked = db.lockKey(u"call:"_s + found->id); !locked) {
        return locked.error();
    }
    return CallStore::byId(db, teamId, found->id);
}

Result<std::optional<Call>> relock(DbConnection &db, const Call &call, const QString &callSid)
{
    if (!callSid.isEmpty()) {
        if (Status locked = db.lockKey(u"call-sid:"_s + callSid); !locked) {
            return locked.error();
        }
    }
    if (Status locked = db.lockKey(u"call:"_s + call.id); !locked) {
        return locked.error();
    }
    return CallStore::byId(db, call.teamId, call.id);
}

bool bindSid(Call &call, const QString &callSid)
{
    if (call.callSid.isEmpty() && !callSid.isEmpty()) {
        call.callSid = callSid;
        return true;
    }
    return false;
}

bool applyStatus(Call &call, const QString &status, std::optional<qint64> duration)
{
    bool changed = false;
    if (CallState::advances(call.status, status)) {
        call.status = status;
        if (CallState::isTerminal(status)) {
            call.endedAt = QDateTime::currentDateTimeUtc();
        }
        changed = true;
    }
    if (CallState::isTerminal(call.status) && duration && !call.durationSeconds) {
        call.durationSeconds = duration;
        changed = true;
    }
    return changed;
}

Status settle(DbConnection &db, Call &call, const CallWebhook &hook, bool changed)
{
    if (const auto entry = entryFor(call, hook)) {
        Result<bool> synced = CallEntries::sync(db, call, entry->first, entry->second);
        if (!synced) {
            return synced.error();
        }
        changed = changed || synced.value();
    }
    return changed ? save(db, call) : Status(Done{});
}

} // namespace CallLog
