// SPDX-License-Identifier: MIT
#include "notestore.h"

#include "domain/conversations/timekeyset.h"
#include "storage/sqlbinds.h"

using namespace Qt::StringLiterals;

namespace NoteStore {

namespace {

// The author's name, else their email, so a note always shows who wrote it.
const QString kSelectNote =
    u"SELECT n.id, n.team_id, n.contact_id, n.conversation_id, n.content, n.is_private, "
    "n.author_id, COALESCE(u.name, u.email) AS author_name, n.created_at, n.updated_at "
    "FROM notes n LEFT JOIN users u ON u.id = n.author_id "_s;
const QString kVisible = u"(n.is_private = ? OR n.author_id = ?) "_s;

Note noteFrom(const SqlRow &row)
{
    Note n;
    n.id = row.text(u"id"_s);
    n.teamId = row.text(u"team_id"_s);
    n.contactId = row.text(u"contact_id"_s);
    n.conversationId = row.text(u"conversation_id"_s);
    n.content = row.text(u"content"_s);
    n.isPrivate = row.flag(u"is_private"_s);
    n.authorId = row.text(u"author_id"_s);
    n.authorName = row.text(u"author_name"_s);
    n.createdAt = row.time(u"created_at"_s);
    n.updatedAt = row.time(u"updated_at"_s);
    return n;
}

} // namespace

Status insert(DbConnection &db, const Note &n)
{
    return execStatus(db.exec(
        u"INSERT INTO notes (id, team_id, author_id, contact_id, conversation_id, content, "
        "is_private, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {n.id, n.teamId, nullableText(n.authorId), nullableText(n.contactId),
         nullableText(n.conversationId),
         n.content, n.isPrivate, isoUtc(n.createdAt), isoUtc(n.updatedAt)}));
}

Result<std::optional<Note>> byId(DbConnection &db, const QString &teamId, const QString &id,
                                 const QString &viewerId)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        kSelectNote + u"WHERE n.id = ? AND n.team_id = ? AND "_s + kVisible,
        {id, teamId, false, viewerId});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<Note>();
    }
    return std::optional<Note>(noteFrom(*row.value()));
}

Result<Page<Note>> list(DbConnection &db, const QString &teamId, const QString &viewerId,
                        const NoteFilter &filter, const PageRequest &page)
{
    QString sql = kSelectNote + u"WHERE n.team_id = ? AND "_s + kVisible;
    QVariantList binds{teamId, false, viewerId};
    if (!filter.contactId.isEmpty()) {
        sql += u"AND n.contact_id = ? "_s;
        binds.append(filter.contactId);
    }
    if (!filter.conversationId.isEmpty()) {
        sql += u"AND n.conversation_id = ? "_s;
        binds.append(filter.conversationId);
    }
    if (page.after) {
        sql += u"AND (n.created_at, n.id) < (?, ?) "_s;
        binds.append(page.after->key);
        binds.append(page.after->id);
    }
    sql += u"ORDER BY n.created_at DESC, n.id DESC LIMIT ?"_s;
    binds.append(page.limit + 1);
    Result<SqlRows> rows = db.query(sql, binds);
    if (!rows) {
        return rows.error();
    }
    QList<Note> notes;
    notes.reserve(rows->size());
    for (const SqlRow &row : rows.value()) {
        notes.append(noteFrom(row));
    }
    return takePage(std::move(notes), page.limit, [](const Note &n) {
        return PageCursor{isoUtc(n.createdAt), n.id};
    });
}

Status update(DbConnection &db, const Note &n)
{
    return execStatus(db.exec(
        u"UPDATE notes SET content = ?, is_private = ?, updated_at = ? "
        "WHERE id = ? AND team_id = ?"_s,
        {n.content, n.isPrivate, isoUtc(n.updatedAt), n.id, n.teamId}));
}

Status remove(DbConnection &db, const QString &teamId, const QString &id)
{
    return execStatus(db.exec(u"DELETE FROM notes WHERE id = ? AND team_id = ?"_s, {id, teamId}));
}

} // namespace NoteStore
