// SPDX-License-Identifier: MIT
#include "importsource.h"

#include "storage/database.h"
#include "storage/dbconnection.h"

#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

// A timestamp column as "2026-11-24T22:50:51.123Z" (the session time zone is UTC).
QString ts(const QString &column)
{
    return u"to_char("_s + column + u", 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"_s;
}

const QStringList kRequiredTables
    = {u"User"_s, u"Team"_s, u"TeamMember"_s, u"Contact"_s, u"Message"_s, u"Note"_s, u"Event"_s};

const QString kTwilioFilter
    = u" WHERE \"twilioNumber\" IS NOT NULL OR \"twilioAccountSid\" IS NOT NULL OR "
      "\"twilioAuthToken\" IS NOT NULL OR \"twilioSmsFrom\" IS NOT NULL OR "
      "\"twilioWhatsappFrom\" IS NOT NULL"_s;

} // namespace

ImportSource::ImportSource()
    : m_connectionName(u"import-source-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces))
{ }

ImportSource::~ImportSource()
{
    m_db.reset();
    QSqlDatabase::removeDatabase(m_connectionName);
}

Status ImportSource::open(const QString &url)
{
    QString normalized = url;
    if (normalized.startsWith(u"postgres://"_s)) {
        normalized = u"postgresql://"_s + normalized.mid(11);
    }
    Result<QSqlDatabase> opened = openConnection(normalized, m_connectionName);
    if (!opened) {
        return ApiError::unavailable(u"cannot open the source database: "_s
                                     + opened.error().detail);
    }
    m_db = std::make_unique<DbConnection>(opened.value(), Dialect::Postgres);
    // (SET cannot be prepared, and every statement here is.)
    if (Result<SqlRows> utc = m_db->query(u"SELECT set_config('TimeZone', 'UTC', false)"_s); !utc) {
        return utc.error();
    }
    QStringList missing;
    for (const QString &table : kRequiredTables) {
        Result<std::optional<SqlRow>> found = m_db->queryOne(u"SELECT to_regclass(?)::text AS t"_s,
                                                             {QString(u"\""_s + table + u"\""_s)});
        if (!found) {
            return found.error();
        }
        if (!found.value() || found.value()->isNull(u"t"_s)) {
            missing.append(table);
        }
    }
    if (!missing.isEmpty()) {
        return ApiError::badRequest(
            u"the source database has no table %1: is it the original backend's (Prisma) database?"_s
                .arg(u"\""_s + missing.join(u"\", \""_s) + u"\""_s));
    }
    return Done{};
}

Result<qint64> ImportSource::count(const SourceQuery &query)
{
    Result<std::optional<SqlRow>> row = m_db->queryOne(query.count);
    if (!row) {
        return row.error();
    }
    return row.value() ? row.value()->integer(u"count"_s) : 0;
}

Result<SqlRows> ImportSource::page(const SourceQuery &query, const QString &after, int limit)
{
    // The first page has no lower bound (an empty string would bind as NULL).
    if (after.isEmpty()) {
        return m_db->query(u"SELECT * FROM ("_s + query.select + u") AS q ORDER BY q.k LIMIT ?"_s,
                           {limit});
    }
    return m_db->query(u"SELECT * FROM ("_s + query.select
                           + u") AS q WHERE q.k > ? ORDER BY q.k LIMIT ?"_s,
                       {after, limit});
}

SourceQuery ImportSource::users()
{
    return {u"User"_s,
            u"SELECT id AS k, id, email, password, \"googleId\" AS google_id, name, "
            "\"avatarUrl\" AS avatar_url, "_s
                + ts(u"\"createdAt\""_s) + u" AS created_at FROM \"User\""_s,
            u"SELECT count(*) AS count FROM \"User\""_s};
}

SourceQuery ImportSource::teams()
{
    return {u"Team"_s,
            u"SELECT id AS k, id, name, "_s + ts(u"\"createdAt\""_s)
                + u" AS created_at FROM \"Team\""_s,
            u"SELECT count(*) AS count FROM \"Team\""_s};
}

SourceQuery ImportSource::members()
{
    return {
        u"TeamMember"_s,
        u"SELECT id AS k, id, \"userId\" AS user_id, \"teamId\" AS team_id, role::text AS role, "_s
            + ts(u"\"createdAt\""_s) + u" AS created_at FROM \"TeamMember\""_s,
        u"SELECT count(*) AS count FROM \"TeamMember\""_s};
}

SourceQuery ImportSource::twilioSettings()
{
    return {u"User.twilio"_s,
            u"SELECT id AS k, id, \"twilioNumber\" AS number, \"isTwilioVerified\" AS verified, "
            "\"twilioAccountSid\" AS account_sid, \"twilioAuthToken\" AS auth_token, "
            "\"twilioSmsFrom\" AS sms_from, \"twilioWhatsappFrom\" AS whatsapp_from, "_s
                + ts(u"\"createdAt\""_s) + u" AS created_at FROM \"User\""_s + kTwilioFilter,
            u"SELECT count(*) AS count FROM \"User\""_s + kTwilioFilter};
}

namespace {
QString contactColumns(const QString &alias)
{
    return alias + u"id, "_s + alias + u"\"teamId\" AS team_id, "_s + alias + u"name, "_s + alias
        + u"phone, "_s + alias + u"email, "_s + alias + u"social::text AS social, "_s + alias
        + u"\"mergedIntoId\" AS merged_into, "_s + ts(alias + u"\"createdAt\""_s)
        + u" AS created_at, "_s + ts(alias + u"\"updatedAt\""_s) + u" AS updated_at"_s;
}
} // namespace

SourceQuery ImportSource::liveContacts()
{
    return {u"Contact"_s,
            u"SELECT id AS k, "_s + contactColumns(QString())
                + u" FROM \"Contact\" WHERE \"mergedIntoId\" IS NULL"_s,
            u"SELECT count(*) AS count FROM \"Contact\" WHERE \"mergedIntoId\" IS NULL"_s};
}

SourceQuery ImportSource::mergedContacts()
{
    // A contact merged into one that was itself merged comes after it: ordered by how many
    // merges away from a live contact it is (a cycle stops at 100), then by id.
    return {u"Contact"_s,
            u"WITH RECURSIVE chain (id, target, depth) AS ("
            "SELECT id, \"mergedIntoId\", 1 FROM \"Contact\" WHERE \"mergedIntoId\" IS NOT NULL "
            "UNION ALL SELECT chain.id, c.\"mergedIntoId\", chain.depth + 1 FROM chain "
            "JOIN \"Contact\" c ON c.id = chain.target "
            "WHERE c.\"mergedIntoId\" IS NOT NULL AND chain.depth < 100) "
            "SELECT lpad(d.depth::text, 3, '0') || ':' || ct.id AS k, "_s
                + contactColumns(u"ct."_s)
                + u" FROM \"Contact\" ct JOIN (SELECT id, max(depth) AS depth FROM chain GROUP BY "
                  u"id) d "
                  "ON d.id = ct.id"_s,
            u"SELECT count(*) AS count FROM \"Contact\" WHERE \"mergedIntoId\" IS NOT NULL"_s, 3};
}

SourceQuery ImportSource::conversations()
{
    // The newest message of each (contact, channel) gives the conversation its activity and
    // preview; the oldest its creation time. Keyed "<contactId>|<channel>" (a cuid has no '|').
    return {
        u"Conversation"_s,
        u"SELECT DISTINCT ON (m.\"contactId\", m.channel::text) "
        "m.\"contactId\" || '|' || m.channel::text AS k, m.\"contactId\" AS contact_id, "
        "m.\"teamId\" AS team_id, m.channel::text AS channel, m.body, m.media::text AS media, "_s
            + ts(u"m.\"createdAt\""_s) + u" AS last_at, "_s
            + ts(u"min(m.\"createdAt\") OVER (PARTITION BY m.\"contactId\", m.channel)"_s)
            + u" AS first_at FROM \"Message\" m "
              "ORDER BY m.\"contactId\", m.channel::text, m.\"createdAt\" DESC, m.id DESC"_s,
        u"SELECT count(*) AS count FROM (SELECT DISTINCT \"contactId\", channel FROM \"Message\") d"_s};
}

SourceQuery ImportSource::messages()
{
    return {u"Message"_s,
            u"SELECT id AS k, id, \"contactId\" AS contact_id, \"teamId\" AS team_id, "
            "channel::text AS channel, direction::text AS direction, body, media::text AS media, "
            "\"externalId\" AS external_id, status::text AS status, "_s
                + ts(u"\"scheduledAt\""_s) + u" AS scheduled_at, "_s + ts(u"\"sentAt\""_s)
                + u" AS sent_at, \"createdById\" AS created_by, "_s + ts(u"\"createdAt\""_s)
                + u" AS created_at, metadata::text AS metadata, \"threadKey\" AS thread_key "
                  "FROM \"Message\""_s,
            u"SELECT count(*) AS count FROM \"Message\""_s};
}

SourceQuery ImportSource::notes()
{
    return {u"Note"_s,
            u"SELECT id AS k, id, \"contactId\" AS contact_id, \"teamId\" AS team_id, "
            "\"authorId\" AS author_id, content, \"isPrivate\" AS is_private, "_s
                + ts(u"\"createdAt\""_s) + u" AS created_at, "_s + ts(u"\"updatedAt\""_s)
                + u" AS updated_at FROM \"Note\""_s,
            u"SELECT count(*) AS count FROM \"Note\""_s};
}

SourceQuery ImportSource::events()
{
    return {u"Event"_s,
            u"SELECT id AS k, id, \"teamId\" AS team_id, type, payload::text AS payload, "_s
                + ts(u"\"createdAt\""_s) + u" AS created_at FROM \"Event\""_s,
            u"SELECT count(*) AS count FROM \"Event\""_s};
}
