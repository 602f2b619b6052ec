// SPDX-License-Identifier: MIT
#include "contactstore.h"

#include <QJsonDocument>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ContactStore {

namespace {

const QString kColumns = u"id, team_id, name, phone, email, attributes, merged_into, opted_out_at, "
                         "opted_out_channel, created_at, updated_at"_s;

QVariant nullable(const QString &value)
{
    return value.isEmpty() ? QVariant() : QVariant(value);
}

QVariant nullableTime(const QDateTime &time)
{
    return time.isValid() ? QVariant(isoUtc(time)) : QVariant();
}

QString jsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

Contact contactFrom(const SqlRow &row)
{
    Contact contact;
    contact.id = row.text(u"id"_s);
    contact.teamId = row.text(u"team_id"_s);
    contact.name = row.text(u"name"_s);
    contact.phone = row.text(u"phone"_s);
    contact.email = row.text(u"email"_s);
    contact.attributes = row.json(u"attributes"_s).toObject();
    contact.mergedInto = row.text(u"merged_into"_s);
    contact.optedOutAt = row.time(u"opted_out_at"_s);
    contact.optedOutChannel = row.text(u"opted_out_channel"_s);
    contact.createdAt = row.time(u"created_at"_s);
    contact.updatedAt = row.time(u"updated_at"_s);
    return contact;
}

Result<std::optional<Contact>> oneContact(Result<std::optional<SqlRow>> row)
{
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<Contact>();
    }
    return std::optional<Contact>(contactFrom(*row.value()));
}

Result<QList<Contact>> contacts(Result<SqlRows> rows)
{
    if (!rows) {
        return rows.error();
    }
    QList<Contact> list;
    list.reserve(rows->size());
    for (const SqlRow &row : rows.value()) {
        list.append(contactFrom(row));
    }
    return list;
}

QString likeEscaped(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return escaped;
}

// `?q=`: a prefix of any word of the name, of the email, or of the phone's digits ("415" finds
// nothing, "1415" and "+1 415" find +14155552671: E.164 digits start with the country code).
void addQuery(const QString &query, Dialect dialect, QString &sql, QVariantList &binds)
{
    // SQLite's LIKE ignores ASCII case; PostgreSQL's needs ILIKE.
    const QString like = dialect == Dialect::Postgres ? u"ILIKE"_s : u"LIKE"_s;
    const QString prefix = QString(likeEscaped(query) + u'%');
    sql += u" AND (name "_s + like + u" ? ESCAPE '\\' OR name "_s + like
        + u" ? ESCAPE '\\' OR email "_s + like + u" ? ESCAPE '\\'"_s;
    binds << prefix << QString(u"% "_s + prefix) << prefix;
    QString digits;
    for (const QChar c : query) {
        if (c.isDigit()) {
            digits += c;
        } else if (!QStringView(u"+ ()-./").contains(c)) {
            digits.clear();
            break;
        }
    }
    if (!digits.isEmpty()) {
        sql += u" OR phone LIKE ?"_s;
        binds << QString(u"+"_s + digits + u'%');
    }
    sql += u')';
}

Status asStatus(const Result<qint64> &result)
{
    if (!result) {
        return result.error();
    }
    return Done{};
}

} // namespace

Result<QJsonObject> teamSettings(DbConnection &db, const QString &teamId)
{
    Result<std::optional<SqlRow>> row =
        db.queryOne(u"SELECT document FROM team_settings WHERE team_id = ?"_s, {teamId});
    if (!row) {
        return row.error();
    }
    return row.value() ? row.value()->json(u"document"_s).toObject() : QJsonObject();
}

Result<std::optional<Contact>> byId(DbConnection &db, const QString &teamId,
                                    const QString &contactId)
{
    return oneContact(db.queryOne(
        u"SELECT "_s + kColumns + u" FROM contacts WHERE id = ? AND team_id = ?"_s,
        {contactId, teamId}));
}

Result<Page<Contact>> list(DbConnection &db, const QString &teamId, const ContactFilter &filter,
                           const PageRequest &page)
{
    QString sql = u"SELECT "_s + kColumns + u" FROM contacts WHERE team_id = ?"_s;
    QVariantList binds{teamId};
    if (!filter.includeMerged) {
        sql += u" AND merged_into IS NULL"_s;
    }
    if (filter.optedOut) {
        sql += *filter.optedOut ? u" AND opted_out_at IS NOT NULL"_s : u" AND opted_out_at IS NULL"_s;
    }
    if (!filter.query.isEmpty()) {
        addQuery(filter.query, db.dialect(), sql, binds);
    }
    if (page.after) {
        sql += u" AND (created_at, id) < (?, ?)"_s;
        binds << page.after->key << page.after->id;
    }
    sql += u" ORDER BY created_at DESC, id DESC LIMIT ?"_s;
    binds << page.limit + 1; // one more than asked tells whether another page follows

    Result<QList<Contact>> rows = contacts(db.query(sql, binds));
    if (!rows) {
        return rows.error();
    }
    Page<Contact> result;
    result.items = std::move(rows.value());
    if (result.items.size() > page.limit) {
        result.items.resize(page.limit);
        const Contact &last = result.items.constLast();
        result.next = PageCursor{isoUtc(last.createdAt), last.id};
    }
    return result;
}

Result<QList<Contact>> allLive(DbConnection &db, const QString &teamId)
{
    return contacts(db.query(u"SELECT "_s + kColumns
                                 + u" FROM contacts WHERE team_id = ? AND merged_into IS NULL "
                                   "ORDER BY created_at, id"_s,
                             {teamId}));
}

Result<std::optional<Contact>> liveByPhone(DbConnection &db, const QString &teamId,
                                           const QString &phone)
{
    // at most one row: contacts_team_live_phone is unique
    return oneContact(db.queryOne(u"SELECT "_s + kColumns
                                      + u" FROM contacts WHERE team_id = ? AND phone = ? "
                                        "AND merged_into IS NULL"_s,
                                  {teamId, phone}));
}

Result<QList<Contact>> liveMatching(DbConnection &db, const QString &teamId,
                                    const QStringList &phones, const QStringList &emails)
{
    // Fixed-size IN lists (padded with empty values, which no contact holds) keep one cached
    // statement per column however many values come.
    constexpr qsizetype kChunk = 200;
    if (db.dialect() == Dialect::Postgres) {
        // A cached generic plan is costed on the table as it was when first planned (for an
        // import into a new team: empty), and then scans the whole team per chunk; a custom plan
        // sees the table as it is. set_config(..., true) lasts until the transaction ends (SET
        // itself cannot be prepared).
        if (Result<SqlRows> set = db.query(
                u"SELECT set_config('plan_cache_mode', 'force_custom_plan', true) AS mode"_s);
            !set) {
            return set.error();
        }
    }
    QList<Contact> found;
    QSet<QString> seen;
    for (const auto &[column, values] : {std::pair{u"phone"_s, phones}, std::pair{u"email"_s, emails}}) {
        const QString sql = u"SELECT "_s + kColumns + u" FROM contacts WHERE team_id = ? AND "_s + column
            + u" IN (?"_s + u", ?"_s.repeated(kChunk - 1) + u") AND merged_into IS NULL"_s;
        for (qsizetype start = 0; start < values.size(); start += kChunk) {
            QVariantList binds{teamId};
            for (qsizetype i = start; i < start + kChunk; ++i) {
                binds << (i < values.size() ? values.at(i) : QString());
            }
            Result<QList<Contact>> rows = contacts(db.query(sql, binds));
            if (!rows) {
                return rows.error();
            }
            for (Contact &contact : rows.value()) {
                if (!seen.contains(contact.id)) {
                    seen.insert(contact.id);
                    found.append(std::move(contact));
                }
            }
        }
    }
    std::sort(found.begin(), found.end(), [](const Contact &a, const Contact &b) {
        return std::pair(a.createdAt, a.id) < std::pair(b.createdAt, b.id);
    });
    return found;
}

Status insert(DbConnection &db, const Contact &contact)
{
    return asStatus(db.exec(
        u"INSERT INTO contacts (id, team_id, name, phone, email, attributes, merged_into, "
        "opted_out_at, opted_out_channel, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {contact.id, contact.teamId, nullable(contact.name), nullable(contact.phone),
         nullable(contact.email), jsonText(contact.attributes), nullable(contact.mergedInto),
         nullableTime(contact.optedOutAt), nullable(contact.optedOutChannel),
         isoUtc(contact.createdAt), isoUtc(contact.updatedAt)}));
}

Status update(DbConnection &db, const Contact &contact)
{
    return asStatus(db.exec(
        u"UPDATE contacts SET name = ?, phone = ?, email = ?, attributes = ?, opted_out_at = ?, "
        "opted_out_channel = ?, updated_at = ? WHERE id = ? AND team_id = ?"_s,
        {nullable(contact.name), nullable(contact.phone), nullable(contact.email),
         jsonText(contact.attributes), nullableTime(contact.optedOutAt),
         nullable(contact.optedOutChannel), isoUtc(contact.updatedAt), contact.id,
         contact.teamId}));
}

Result<qint64> remove(DbConnection &db, const QString &teamId, const QString &contactId)
{
    // Contacts merged into this one are empty shells (their history moved here): they go too,
    // or ON DELETE SET NULL would bring them back into the list as live contacts.
    Result<qint64> shells = db.exec(
        u"DELETE FROM contacts WHERE merged_into = ? AND team_id = ?"_s, {contactId, teamId});
    if (!shells) {
        return shells.error();
    }
    Result<qint64> removed =
        db.exec(u"DELETE FROM contacts WHERE id = ? AND team_id = ?"_s, {contactId, teamId});
    if (!removed) {
        return removed.error();
    }
    return shells.value() + removed.value();
}

Status mergeInto(DbConnection &db, const QString &teamId, const QString &fromId,
                 const QString &toId)
{
    // Only the owner changes: the moved rows keep their updated_at (a note is not "edited" by a
    // merge).
    const QStringList moves{
        u"UPDATE messages SET contact_id = ? WHERE contact_id = ? AND team_id = ?"_s,
        u"UPDATE notes SET contact_id = ? WHERE contact_id = ? AND team_id = ?"_s,
        u"UPDATE conversations SET contact_id = ? WHERE contact_id = ? AND team_id = ?"_s,
        u"UPDATE calls SET contact_id = ? WHERE contact_id = ? AND team_id = ?"_s,
        // keeps merge chains one step long: every merged contact points at a live one
        u"UPDATE contacts SET merged_into = ? WHERE merged_into = ? AND team_id = ?"_s,
    };
    for (const QString &sql : moves) {
        if (Result<qint64> moved = db.exec(sql, {toId, fromId, teamId}); !moved) {
            return moved.error();
        }
    }
    return asStatus(db.exec(
        u"UPDATE contacts SET merged_into = ?, updated_at = ? WHERE id = ? AND team_id = ?"_s,
        {toId, nowIso(), fromId, teamId}));
}

} // namespace ContactStore
