// SPDX-License-Identifier: MIT
#include "callstore.h"

#include "domain/conversations/timekeyset.h"
#include "storage/sqlbinds.h"

using namespace Qt::StringLiterals;

namespace CallStore {

namespace {

const QString kSelectCall =
    u"SELECT id, team_id, inbox_id, conversation_id, contact_id, provider_sid, direction, status, "
    "from_address, to_address, agent_address, dial_status, duration_seconds, recording_url, "
    "recording_duration_seconds, voicemail, message_id, entry_kind, created_by, created_at, "
    "updated_at, ended_at FROM calls "_s;

std::optional<qint64> optionalInteger(const SqlRow &row, const QString &column)
{
    return row.isNull(column) ? std::nullopt : std::optional<qint64>(row.integer(column));
}

QVariant nullableInteger(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant();
}

Call callFrom(const SqlRow &row)
{
    Call c;
    c.id = row.text(u"id"_s);
    c.teamId = row.text(u"team_id"_s);
    c.inboxId = row.text(u"inbox_id"_s);
    c.conversationId = row.text(u"conversation_id"_s);
    c.contactId = row.text(u"contact_id"_s);
    c.callSid = row.text(u"provider_sid"_s);
    c.direction = row.text(u"direction"_s);
    c.status = row.text(u"status"_s);
    c.fromAddress = row.text(u"from_address"_s);
    c.toAddress = row.text(u"to_address"_s);
    c.agentAddress = row.text(u"agent_address"_s);
    c.dialStatus = row.text(u"dial_status"_s);
    c.durationSeconds = optionalInteger(row, u"duration_seconds"_s);
    c.recordingUrl = row.text(u"recording_url"_s);
    c.recordingDurationSeconds = optionalInteger(row, u"recording_duration_seconds"_s);
    c.voicemail = row.flag(u"voicemail"_s);
    c.messageId = row.text(u"message_id"_s);
    c.entryKind = row.text(u"entry_kind"_s);
    c.createdBy = row.text(u"created_by"_s);
    c.createdAt = row.time(u"created_at"_s);
    c.updatedAt = row.time(u"updated_at"_s);
    c.endedAt = row.time(u"ended_at"_s);
    return c;
}

Result<std::optional<Call>> oneCall(Result<std::optional<SqlRow>> row)
{
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<Call>();
    }
    return std::optional<Call>(callFrom(*row.value()));
}

} // namespace

Status insert(DbConnection &db, const Call &c)
{
    const QString created = isoUtc(c.createdAt);
    return execStatus(db.exec(
        u"INSERT INTO calls (id, team_id, inbox_id, conversation_id, contact_id, provider_sid, "
        "direction, status, from_address, to_address, agent_address, dial_status, "
        "duration_seconds, recording_url, recording_duration_seconds, voicemail, message_id, "
        "entry_kind, created_by, created_at, updated_at, ended_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {c.id, c.teamId, nullableText(c.inboxId), nullableText(c.conversationId),
         nullableText(c.contactId), nullableText(c.callSid), c.direction, c.status,
         nullableText(c.fromAddress), nullableText(c.toAddress), nullableText(c.agentAddress),
         nullableText(c.dialStatus), nullableInteger(c.durationSeconds),
         nullableText(c.recordingUrl), nullableInteger(c.recordingDurationSeconds), c.voicemail,
         nullableText(c.messageId), nullableText(c.entryKind), nullableText(c.createdBy), created,
         created, nullableTime(c.endedAt)}));
}

Status update(DbConnection &db, const Call &c)
{
    return execStatus(db.exec(
        u"UPDATE calls SET provider_sid = ?, status = ?, dial_status = ?, duration_seconds = ?, "
        "recording_url = ?, recording_duration_seconds = ?, voicemail = ?, message_id = ?, "
        "entry_kind = ?, ended_at = ?, updated_at = ? WHERE id = ?"_s,
        {nullableText(c.callSid), c.status, nullableText(c.dialStatus),
         nullableInteger(c.durationSeconds), nullableText(c.recordingUrl),
         nullableInteger(c.recordingDurationSeconds), c.voicemail, nullableText(c.messageId),
         nullableText(c.entryKind), nullableTime(c.endedAt), isoUtc(c.updatedAt), c.id}));
}

Result<std::optional<Call>> byId(DbConnection &db, const QString &teamId, const QString &id)
{
    return oneCall(db.queryOne(kSelectCall + u"WHERE id = ? AND team_id = ?"_s, {id, teamId}));
}

Result<std::optional<Call>> bySid(DbConnection &db, const QString &callSid)
{
    return oneCall(db.queryOne(kSelectCall + u"WHERE provider_sid = ?"_s, {callSid}));
}

Result<Page<Call>> list(DbConnection &db, const QString &teamId, const PageRequest &page)
{
    QString sql = kSelectCall + u"WHERE team_id = ? "_s;
    QVariantList binds{teamId};
    if (page.after) {
        sql += u"AND (created_at, id) < (?, ?) "_s;
        binds.append(page.after->key);
        binds.append(page.after->id);
    }
    sql += u"ORDER BY created_at DESC, id DESC LIMIT ?"_s;
    binds.append(page.limit + 1);
    Result<SqlRows> rows = db.query(sql, binds);
    if (!rows) {
        return rows.error();
    }
    QList<Call> calls;
    calls.reserve(rows->size());
    for (const SqlRow &row : rows.value()) {
        calls.append(callFrom(row));
    }
    return takePage(std::move(calls), page.limit,
                    [](const Call &c) { return PageCursor{isoUtc(c.createdAt), c.id}; });
}

} // namespace CallStore
