// SPDX-License-Identifier: MIT
#include "conversationstore.h"

#include "domain/conversations/timekeyset.h"
#include "storage/sqlbinds.h"

using namespace Qt::StringLiterals;

namespace ConversationStore {

namespace {

const QString kSelectConversation =
    u"SELECT v.id, v.team_id, v.inbox_id, v.contact_id, v.channel, v.status, v.snoozed_until, "
    "v.assignee_id, v.last_message_at, v.last_message_preview, v.unread_count, v.created_at, "
    "v.updated_at, c.name AS contact_name, c.phone AS contact_phone, c.email AS contact_email "
    "FROM conversations v JOIN contacts c ON c.id = v.contact_id "_s;

Conversation conversationFrom(const SqlRow &row)
{
    Conversation c;
    c.id = row.text(u"id"_s);
    c.teamId = row.text(u"team_id"_s);
    c.inboxId = row.text(u"inbox_id"_s);
    c.contact.id = row.text(u"contact_id"_s);
    c.contact.teamId = c.teamId;
    c.contact.name = row.text(u"contact_name"_s);
    c.contact.phone = row.text(u"contact_phone"_s);
    c.contact.email = row.text(u"contact_email"_s);
    c.channel = row.text(u"channel"_s);
    c.status = parseConversationStatus(row.text(u"status"_s)).value_or(ConversationStatus::Open);
    c.snoozedUntil = row.time(u"snoozed_until"_s);
    c.assigneeId = row.text(u"assignee_id"_s);
    c.lastMessageAt = row.time(u"last_message_at"_s);
    c.lastMessagePreview = row.text(u"last_message_preview"_s);
    c.unreadCount = int(row.integer(u"unread_count"_s));
    c.createdAt = row.time(u"created_at"_s);
    c.updatedAt = row.time(u"updated_at"_s);
    return c;
}

Result<std::optional<QString>> firstText(Result<std::optional<SqlRow>> row, const QString &column)
{
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<QString>();
    }
    return std::optional<QString>(row.value()->text(column));
}

} // namespace

Result<std::optional<ContactSummary>> contact(DbConnection &db, const QString &teamId,
                                              const QString &contactId)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"SELECT id, team_id, name, phone, email, merged_into, opted_out_at FROM contacts "
        "WHERE id = ? AND team_id = ?"_s,
        {contactId, teamId});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<ContactSummary>();
    }
    const SqlRow &r = *row.value();
    return std::optional<ContactSummary>(
        ContactSummary{r.text(u"id"_s), r.text(u"team_id"_s), r.text(u"name"_s),
                       r.text(u"phone"_s), r.text(u"email"_s), r.text(u"merged_into"_s),
                       r.time(u"opted_out_at"_s)});
}

Result<std::optional<QString>> inboxChannel(DbConnection &db, const QString &teamId,
                                            const QString &inboxId)
{
    return firstText(db.queryOne(u"SELECT channel FROM inboxes WHERE id = ? AND team_id = ?"_s,
                                 {inboxId, teamId}),
                     u"channel"_s);
}

Result<std::optional<QString>> defaultInbox(DbConnection &db, const QString &teamId,
                                            const QString &channel)
{
    return firstText(db.queryOne(u"SELECT id FROM inboxes WHERE team_id = ? AND channel = ? "
                                 "ORDER BY created_at, id LIMIT 1"_s,
                                 {teamId, channel}),
                     u"id"_s);
}

Result<std::optional<Conversation>> byId(DbConnection &db, const QString &teamId, const QString &id)
{
    Result<std::optional<SqlRow>> row =
        db.queryOne(kSelectConversation + u"WHERE v.id = ? AND v.team_id = ?"_s, {id, teamId});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<Conversation>();
    }
    return std::optional<Conversation>(conversationFrom(*row.value()));
}

Result<std::optional<QString>> findUnresolved(DbConnection &db, const QString &teamId,
                                              const QString &contactId, const QString &channel,
                                              const QString &inboxId)
{
    QString sql = u"SELECT id FROM conversations WHERE contact_id = ? AND team_id = ? "
                  "AND channel = ? AND status <> 'resolved' "_s;
    QVariantList binds{contactId, teamId, channel};
    if (!inboxId.isEmpty()) {
        sql += u"AND inbox_id = ? "_s;
        binds.append(inboxId);
    }
    sql += u"ORDER BY last_message_at DESC, id DESC LIMIT 1"_s;
    return firstText(db.queryOne(sql, binds), u"id"_s);
}

Status lockContact(DbConnection &db, const QString &contactId)
{
    if (db.dialect() != Dialect::Postgres) {
        return Done{};
    }
    // 7311003: this module's advisory-lock namespace (accounts use 7311001).
    return execStatus(
        db.exec(u"SELECT pg_advisory_xact_lock(7311003, hashtext(?))"_s, {contactId}));
}

Status insert(DbConnection &db, const Conversation &c)
{
    return execStatus(db.exec(
        u"INSERT INTO conversations (id, team_id, inbox_id, contact_id, channel, status, "
        "snoozed_until, assignee_id, last_message_at, last_message_preview, unread_count, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {c.id, c.teamId, nullableText(c.inboxId), c.contact.id, c.channel,
         conversationStatusName(c.status), nullableTime(c.snoozedUntil), nullableText(c.assigneeId),
         nullableTime(c.lastMessageAt), nullableText(c.lastMessagePreview), c.unreadCount,
         isoUtc(c.createdAt), isoUtc(c.updatedAt)}));
}

Result<Page<Conversation>> list(DbConnection &db, const QString &teamId,
                                const ConversationFilter &filter, const PageRequest &page)
{
    // Only the filters in use become SQL, so each combination is its own prepared statement with
    // a plan for it (and PostgreSQL never sees an untyped "? IS NULL").
    QString sql = kSelectConversation + u"WHERE v.team_id = ? "_s;
    QVariantList binds{teamId};
    if (!filter.inboxId.isEmpty()) {
        sql += u"AND v.inbox_id = ? "_s;
        binds.append(filter.inboxId);
    }
    if (filter.status) {
        sql += u"AND v.status = ? "_s;
        binds.append(conversationStatusName(*filter.status));
    }
    if (filter.unassignedOnly) {
        sql += u"AND v.assignee_id IS NULL "_s;
    } else if (!filter.assigneeId.isEmpty()) {
        sql += u"AND v.assignee_id = ? "_s;
        binds.append(filter.assigneeId);
    }
    if (filter.unreadOnly) {
        sql += u"AND v.unread_count > 0 "_s;
    }
    if (!filter.contactId.isEmpty()) {
        sql += u"AND v.contact_id = ? "_s;
        binds.append(filter.contactId);
    }
    if (page.after) {
        sql += u"AND (v.last_message_at, v.id) < (?, ?) "_s;
        binds.append(page.after->key);
        binds.append(page.after->id);
    }
    sql += u"ORDER BY v.last_message_at DESC, v.id DESC LIMIT ?"_s;
    binds.append(page.limit + 1);

    Result<SqlRows> rows = db.query(sql, binds);
    if (!rows) {
        return rows.error();
    }
    QList<Conversation> conversations;
    conversations.reserve(rows->size());
    for (const SqlRow &row : rows.value()) {
        conversations.append(conversationFrom(row));
    }
    return takePage(std::move(conversations), page.limit, [](const Conversation &c) {
        return PageCursor{isoUtc(c.lastMessageAt), c.id};
    });
}

Status update(DbConnection &db, const Conversation &c)
{
    return execStatus(db.exec(
        u"UPDATE conversations SET status = ?, snoozed_until = ?, assignee_id = ?, updated_at = ? "
        "WHERE id = ? AND team_id = ?"_s,
        {conversationStatusName(c.status), nullableTime(c.snoozedUntil), nullableText(c.assigneeId),
         isoUtc(c.updatedAt), c.id, c.teamId}));
}

Status setUnreadCount(DbConnection &db, const QString &id, int count)
{
    return execStatus(db.exec(
        u"UPDATE conversations SET unread_count = ?, updated_at = ? WHERE id = ?"_s,
        {count, nowIso(), id}));
}

Status recordActivity(DbConnection &db, const QString &id, const QDateTime &at,
                      const QString &preview)
{
    const QString when = isoUtc(at);
    return execStatus(db.exec(
        u"UPDATE conversations SET last_message_at = ?, last_message_preview = ?, updated_at = ? "
        "WHERE id = ?"_s,
        {when, preview, when, id}));
}

Result<std::optional<ConversationRef>> findLatest(DbConnection &db, const QString &teamId,
                                                  const QString &contactId, const QString &channel,
                                                  const QString &inboxId)
{
    QString sql = u"SELECT id, status FROM conversations WHERE contact_id = ? AND team_id = ? "
                  "AND channel = ? "_s;
    QVariantList binds{contactId, teamId, channel};
    if (!inboxId.isEmpty()) {
        sql += u"AND inbox_id = ? "_s;
        binds.append(inboxId);
    }
    sql += u"ORDER BY last_message_at DESC, id DESC LIMIT 1"_s;
    Result<std::optional<SqlRow>> row = db.queryOne(sql, binds);
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<ConversationRef>();
    }
    return std::optional<ConversationRef>(
        ConversationRef{row.value()->text(u"id"_s), row.value()->text(u"status"_s)});
}

Status recordInbound(DbConnection &db, const QString &id, const QDateTime &at,
                     const QString &preview)
{
    const QString when = isoUtc(at);
    return execStatus(db.exec(
        u"UPDATE conversations SET last_message_at = ?, last_message_preview = ?, updated_at = ?, "
        "unread_count = unread_count + 1, status = 'open', snoozed_until = NULL WHERE id = ?"_s,
        {when, preview, when, id}));
}

Result<QList<ContactThread>> contactThreads(DbConnection &db, const QString &teamId, int limit)
{
    // One statement: for each contact of the team, one backward probe of
    // messages(contact_id, created_at, id) for its latest message. PostgreSQL says it with a
    // LATERAL join; SQLite with a correlated subquery that finds the latest row's rowid.
    const QString latest = db.dialect() == Dialect::Postgres
        ? u"LEFT JOIN LATERAL (SELECT body, channel, created_at FROM messages "
          "WHERE contact_id = c.id ORDER BY created_at DESC, id DESC LIMIT 1) m ON true "_s
        : u"LEFT JOIN messages m ON m.rowid = (SELECT rowid FROM messages "
          "WHERE contact_id = c.id ORDER BY created_at DESC, id DESC LIMIT 1) "_s;
    Result<SqlRows> rows = db.query(
        u"SELECT c.id, c.name, c.phone, c.email, m.body, m.channel, "
        "COALESCE(m.created_at, c.updated_at) AS activity, "
        "(SELECT COALESCE(SUM(v.unread_count), 0) FROM conversations v WHERE v.contact_id = c.id) "
        "AS unread FROM contacts c "_s
            + latest
            + u"WHERE c.team_id = ? AND c.merged_into IS NULL "
              "ORDER BY activity DESC, c.id DESC LIMIT ?"_s,
        {teamId, limit});
    if (!rows) {
        return rows.error();
    }
    QList<ContactThread> threads;
    threads.reserve(rows->size());
    for (const SqlRow &row : rows.value()) {
        ContactThread thread;
        thread.contact.id = row.text(u"id"_s);
        thread.contact.teamId = teamId;
        thread.contact.name = row.text(u"name"_s);
        thread.contact.phone = row.text(u"phone"_s);
        thread.contact.email = row.text(u"email"_s);
        thread.snippet = row.text(u"body"_s);
        thread.channel = row.text(u"channel"_s);
        thread.updatedAt = row.time(u"activity"_s);
        thread.unread = row.integer(u"unread"_s);
        threads.append(std::move(thread));
    }
    return threads;
}

// ---- Snooze wake-up ----

Result<bool> wakeIfDue(DbConnection &db, const QString &teamId, const QString &id,
                       const QDateTime &now)
{
    const QString when = isoUtc(now);
    Result<qint64> changed = db.exec(
        u"UPDATE conversations SET status = 'open', snoozed_until = NULL, updated_at = ? "
        "WHERE id = ? AND team_id = ? AND status = 'snoozed' AND snoozed_until <= ?"_s,
        {when, id, teamId, when});
    if (!changed) {
        return changed.error();
    }
    return changed.value() > 0;
}

Result<QList<ConversationKey>> overdueSnoozes(DbConnection &db, const QDateTime &now, int limit)
{
    // The partial index conversations_snoozed (0009) holds exactly these rows.
    Result<SqlRows> rows = db.query(
        u"SELECT team_id, id FROM conversations WHERE status = 'snoozed' AND snoozed_until <= ? "
        "ORDER BY snoozed_until LIMIT ?"_s,
        {isoUtc(now), limit});
    if (!rows) {
        return rows.error();
    }
    QList<ConversationKey> keys;
    keys.reserve(rows->size());
    for (const SqlRow &row : rows.value()) {
        keys.append({row.text(u"team_id"_s), row.text(u"id"_s)});
    }
    return keys;
}

} // namespace ConversationStore
