// SPDX-License-Identifier: MIT
#include "messagestore.h"

#include "domain/conversations/timekeyset.h"
#include "storage/eventstore.h"
#include "storage/sqlbinds.h"

#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace MessageStore {

namespace {

const QString kColumns =
    u"id, team_id, conversation_id, contact_id, inbox_id, channel, direction, body, media, "
    "status, provider_sid, error_code, error_text, scheduled_at, sent_at, delivered_at, created_by, created_at, "
    "metadata"_s;

const QString kSelectMessage = u"SELECT "_s + kColumns + u" FROM messages "_s;

} // namespace

QString columns(const QString &alias)
{
    if (alias.isEmpty()) {
        return kColumns;
    }
    QStringList qualified = kColumns.split(u", "_s);
    for (QString &column : qualified) {
        column = alias + u'.' + column + u" AS "_s + column; // the same name in both dialects
    }
    return qualified.join(u", "_s);
}

Message messageFrom(const SqlRow &row)
{
    Message m;
    m.id = row.text(u"id"_s);
    m.teamId = row.text(u"team_id"_s);
    m.conversationId = row.text(u"conversation_id"_s);
    m.contactId = row.text(u"contact_id"_s);
    m.inboxId = row.text(u"inbox_id"_s);
    m.channel = row.text(u"channel"_s);
    m.direction = row.text(u"direction"_s);
    m.body = row.text(u"body"_s);
    m.media = mediaFromJson(row.json(u"media"_s));
    m.status = row.text(u"status"_s);
    m.providerSid = row.text(u"provider_sid"_s);
    m.errorCode = row.text(u"error_code"_s);
    m.errorText = row.text(u"error_text"_s);
    m.scheduledAt = row.time(u"scheduled_at"_s);
    m.sentAt = row.time(u"sent_at"_s);
    m.deliveredAt = row.time(u"delivered_at"_s);
    m.createdBy = row.text(u"created_by"_s);
    m.createdAt = row.time(u"created_at"_s);
    m.metadata = row.json(u"metadata"_s).toObject();
    return m;
}

namespace {

// Outbound media is stored as the original stored it, URL strings; typed items as objects.
QString mediaColumn(const QList<MediaItem> &media)
{
    return QString::fromUtf8(QJsonDocument(mediaColumnJson(media)).toJson(QJsonDocument::Compact));
}

Result<QList<Message>> messagesFrom(Result<SqlRows> rows)
{
    if (!rows) {
        return rows.error();
    }
    QList<Message> messages;
    messages.reserve(rows->size());
    for (const SqlRow &row : rows.value()) {
        messages.append(messageFrom(row));
    }
    return messages;
}

} // namespace

Status insert(DbConnection &db, const Message &m)
{
    const QString created = isoUtc(m.createdAt);
    return execStatus(db.exec(
        u"INSERT INTO messages (id, team_id, conversation_id, contact_id, inbox_id, channel, "
        "direction, body, media, status, error_code, error_text, scheduled_at, sent_at, "
        "delivered_at, created_by, created_at, updated_at, metadata, provider_sid) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {m.id, m.teamId, nullableText(m.conversationId), m.contactId, nullableText(m.inboxId),
         m.channel, m.direction,
         // a null QString binds as SQL NULL; a message without text has an empty body
         m.body.isNull() ? u""_s : m.body, mediaColumn(m.media), m.status,
         nullableText(m.errorCode), nullableText(m.errorText), nullableTime(m.scheduledAt),
         nullableTime(m.sentAt), nullableTime(m.deliveredAt), nullableText(m.createdBy), created,
         created, QString::fromUtf8(QJsonDocument(m.metadata).toJson(QJsonDocument::Compact)),
         nullableText(m.providerSid)}));
}

Result<std::optional<Message>> byId(DbConnection &db, const QString &teamId, const QString &id)
{
    Result<std::optional<SqlRow>> row =
        db.queryOne(kSelectMessage + u"WHERE id = ? AND team_id = ?"_s, {id, teamId});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<Message>();
    }
    return std::optional<Message>(messageFrom(*row.value()));
}

Result<Page<Message>> listByConversation(DbConnection &db, const QString &conversationId,
                                         const PageRequest &page)
{
    QString sql = kSelectMessage + u"WHERE conversation_id = ? "_s;
    QVariantList binds{conversationId};
    if (page.after) {
        sql += u"AND (created_at, id) < (?, ?) "_s;
        binds.append(page.after->key);
        binds.append(page.after->id);
    }
    sql += u"ORDER BY created_at DESC, id DESC LIMIT ?"_s;
    binds.append(page.limit + 1);
    Result<QList<Message>> messages = messagesFrom(db.query(sql, binds));
    if (!messages) {
        return messages.error();
    }
    return takePage(std::move(messages.value()), page.limit, [](const Message &m) {
        return PageCursor{isoUtc(m.createdAt), m.id};
    });
}

Result<QList<Message>> latestOfContact(DbConnection &db, const QString &teamId,
                                       const QString &contactId, int limit)
{
    // Newest first reads the index backwards from the end, so a long history costs the same as
    // a short one; the page is then turned around for the oldest-first view.
    Result<QList<Message>> messages = messagesFrom(db.query(
        kSelectMessage
            + u"WHERE contact_id = ? AND team_id = ? ORDER BY created_at DESC, id DESC LIMIT ?"_s,
        {contactId, teamId, limit}));
    if (messages) {
        std::reverse(messages->begin(), messages->end());
    }
    return messages;
}

Result<bool> updateMedia(DbConnection &db, const QString &teamId, const QString &id,
                         const QList<MediaItem> &media)
{
    Result<qint64> updated = db.exec(
        u"UPDATE messages SET media = ?, updated_at = ? WHERE id = ? AND team_id = ?"_s,
        {mediaColumn(media), nowIso(), id, teamId});
    if (!updated) {
        return updated.error();
    }
    return updated.value() > 0;
}

Result<bool> updateContent(DbConnection &db, const QString &teamId, const QString &id,
                           const QString &body, const QList<MediaItem> &media,
                           const QJsonObject &metadata)
{
    Result<qint64> updated = db.exec(
        u"UPDATE messages SET body = ?, media = ?, metadata = ?, updated_at = ? "
        "WHERE id = ? AND team_id = ?"_s,
        {body, mediaColumn(media),
         QString::fromUtf8(QJsonDocument(metadata).toJson(QJsonDocument::Compact)), nowIso(), id,
         teamId});
    if (!updated) {
        return updated.error();
    }
    return updated.value() > 0;
}

namespace {

const QString kUpdateDelivery =
    u"UPDATE messages SET status = ?, provider_sid = ?, error_code = ?, error_text = ?, "
    "sent_at = ?, delivered_at = ?, updated_at = ? WHERE id = ?"_s;

QVariantList deliveryBinds(const Message &m)
{
    return {m.status, nullableText(m.providerSid), nullableText(m.errorCode),
            nullableText(m.errorText), nullableTime(m.sentAt), nullableTime(m.deliveredAt),
            nowIso(), m.id};
}

} // namespace

Result<bool> updateDeliveryAnnounced(DbConnection &db, const Message &m, const QJsonObject &event)
{
    Result<std::optional<qint64>> announced =
        EventStore::appendOnChange(db, kUpdateDelivery + u" RETURNING id"_s, deliveryBinds(m),
                                   NewEvent{m.teamId, u"message.updated"_s, event});
    if (!announced) {
        return announced.error();
    }
    return announced.value().has_value();
}

Result<std::optional<Message>> updateDeliveryReturning(DbConnection &db, const Message &m)
{
    Result<std::optional<SqlRow>> row =
        db.queryOne(kUpdateDelivery + u" RETURNING "_s + kColumns, deliveryBinds(m));
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<Message>();
    }
    return std::optional<Message>(messageFrom(*row.value()));
}

Result<bool> providerSidTaken(DbConnection &db, const QString &provider, const QString &sid)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"SELECT 1 AS taken FROM messages WHERE provider = ? AND provider_sid = ?"_s,
        {provider, sid});
    if (!row) {
        return row.error();
    }
    return row.value().has_value();
}

Result<std::optional<Message>> byProviderSid(DbConnection &db, const QString &provider,
                                             const QString &sid)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        kSelectMessage + u"WHERE provider = ? AND provider_sid = ?"_s, {provider, sid});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<Message>();
    }
    return std::optional<Message>(messageFrom(*row.value()));
}

// ---- Scheduled messages ----

Result<Page<Message>> listScheduled(DbConnection &db, const QString &teamId,
                                    const QString &conversationId, const PageRequest &page)
{
    QString sql = kSelectMessage + u"WHERE team_id = ? AND status = 'scheduled' "_s;
    QVariantList binds{teamId};
    if (!conversationId.isEmpty()) {
        sql += u"AND conversation_id = ? "_s;
        binds.append(conversationId);
    }
    if (page.after) {
        sql += u"AND (scheduled_at, id) > (?, ?) "_s;
        binds.append(page.after->key);
        binds.append(page.after->id);
    }
    sql += u"ORDER BY scheduled_at, id LIMIT ?"_s;
    binds.append(page.limit + 1);
    Result<QList<Message>> messages = messagesFrom(db.query(sql, binds));
    if (!messages) {
        return messages.error();
    }
    return takePage(std::move(messages.value()), page.limit, [](const Message &m) {
        return PageCursor{isoUtc(m.scheduledAt), m.id};
    });
}

Result<bool> updateScheduled(DbConnection &db, const QString &teamId, const QString &id,
                             const QDateTime &scheduledAt, const QString &body)
{
    // body only when it changes: the SQLite full-text trigger fires on any SET of body
    QString sql = u"UPDATE messages SET updated_at = ?"_s;
    QVariantList binds{nowIso()};
    if (scheduledAt.isValid()) {
        sql += u", scheduled_at = ?"_s;
        binds.append(isoUtc(scheduledAt));
    }
    if (!body.isNull()) {
        sql += u", body = ?"_s;
        binds.append(body);
    }
    sql += u" WHERE id = ? AND team_id = ? AND status = 'scheduled'"_s;
    binds.append(id);
    binds.append(teamId);
    Result<qint64> updated = db.exec(sql, binds);
    if (!updated) {
        return updated.error();
    }
    return updated.value() > 0;
}

Result<bool> cancelScheduled(DbConnection &db, const QString &teamId, const QString &id)
{
    Result<qint64> updated = db.exec(
        u"UPDATE messages SET status = 'canceled', updated_at = ? "
        "WHERE id = ? AND team_id = ? AND status = 'scheduled'"_s,
        {nowIso(), id, teamId});
    if (!updated) {
        return updated.error();
    }
    return updated.value() > 0;
}

} // namespace MessageStore
