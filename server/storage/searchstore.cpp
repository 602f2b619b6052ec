// SPDX-License-Identifier: MIT
#include "searchstore.h"

using namespace Qt::StringLiterals;

namespace SearchStore {

namespace {

// Both statements have the same shape: the hits of each kind (team filter inside, so the
// engines' indexes are used), the contact of each hit joined once, then the keyset condition
// and the order. Binds: the query, the team, the exact-match text three times, then the
// position (score, score, kind, id) and the limit.

const QString kOuterColumns =
    u"SELECT h.kind, h.id, h.score, h.body, h.contact_id, h.conversation_id, h.created_at, "
    "hc.name AS contact_name, hc.phone AS contact_phone, hc.email AS contact_email FROM ("_s;

const QString kExactContact =
    u"CASE WHEN lower(c.name) = lower(?) OR c.phone = ? OR lower(c.email) = lower(?) "
    "THEN 1.0 ELSE 0.0 END"_s;

// The score of the first page's position is above any real score (they are below 2).
constexpr double kBeforeFirst = 1e9;

// bm25() is negative, better is lower: -bm25 / (1 - bm25) maps it to [0, 1). Contacts weigh a
// name match above a phone or email match.
const QString kSqliteSql = kOuterColumns
    + u"SELECT 'message' AS kind, m.id AS id, "
      "-bm25(messages_fts) / (1.0 - bm25(messages_fts)) AS score, "
      "m.body AS body, m.contact_id AS contact_id, m.conversation_id AS conversation_id, "
      "m.created_at AS created_at "
      "FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid "
      "WHERE messages_fts MATCH ? AND m.team_id = ? "
      "UNION ALL "
      "SELECT 'contact', c.id, "_s
    + kExactContact
    + u" - bm25(contacts_fts, 4.0, 2.0, 2.0) / (1.0 - bm25(contacts_fts, 4.0, 2.0, 2.0)), "
      "NULL, c.id, NULL, c.created_at "
      "FROM contacts_fts JOIN contacts c ON c.rowid = contacts_fts.rowid "
      "WHERE contacts_fts MATCH ? AND c.team_id = ? AND c.merged_into IS NULL"
      ") AS h JOIN contacts hc ON hc.id = h.contact_id "
      "WHERE h.score < ? OR (h.score = ? AND (h.kind, h.id) > (?, ?)) "
      "ORDER BY h.score DESC, h.kind, h.id LIMIT ?"_s;

// ts_rank() is >= 0: r / (1 + r) maps it to [0, 1). The position's score is sent as text and
// cast, so it compares with the computed double exactly.
const QString kPostgresSql =
    u"WITH query AS (SELECT websearch_to_tsquery('simple', ?) AS q) "_s + kOuterColumns
    + u"SELECT 'message'::text AS kind, x.id, x.r / (1.0 + x.r) AS score, x.body, x.contact_id, "
      "x.conversation_id, x.created_at "
      "FROM (SELECT m.id, m.body, m.contact_id, m.conversation_id, m.created_at, "
      "ts_rank(m.search_tsv, query.q)::float8 AS r "
      "FROM messages m, query WHERE m.team_id = ? AND m.search_tsv @@ query.q) AS x "
      "UNION ALL "
      "SELECT 'contact'::text, y.id, y.exact + y.r / (1.0 + y.r), NULL, y.id, NULL, y.created_at "
      "FROM (SELECT c.id, c.created_at, ts_rank(c.search_tsv, query.q)::float8 AS r, "_s
    + kExactContact
    + u"::float8 AS exact "
      "FROM contacts c, query "
      "WHERE c.team_id = ? AND c.merged_into IS NULL AND c.search_tsv @@ query.q) AS y"
      ") AS h JOIN contacts hc ON hc.id = h.contact_id "
      "WHERE h.score < CAST(? AS double precision) "
      "OR (h.score = CAST(? AS double precision) AND (h.kind, h.id) > (?, ?)) "
      "ORDER BY h.score DESC, h.kind, h.id LIMIT ?"_s;

} // namespace

Result<QList<SearchHit>> search(DbConnection &db, const QString &teamId, const SearchQuery &query,
                                const std::optional<SearchPosition> &after, int limit)
{
    const QString exact = query.text();
    const double score = after ? after->score : kBeforeFirst;
    // SQLite binds the double itself; PostgreSQL gets every digit as text (see kPostgresSql).
    const QVariant position = db.dialect() == Dialect::Sqlite
        ? QVariant(score)
        : QVariant(QString::number(score, 'g', 17));
    const QString kind = after ? after->kind : QString();
    const QString id = after ? after->id : QString();

    Result<SqlRows> rows = db.dialect() == Dialect::Sqlite
        ? db.query(kSqliteSql, {query.fts5Match(), teamId, exact, exact, exact, query.fts5Match(),
                                teamId, position, position, kind, id, limit})
        : db.query(kPostgresSql, {query.websearch(), teamId, exact, exact, exact, teamId, position,
                                  position, kind, id, limit});
    if (!rows) {
        return rows.error();
    }
    QList<SearchHit> hits;
    hits.reserve(rows->size());
    for (const SqlRow &row : rows.value()) {
        SearchHit hit;
        hit.kind = row.text(u"kind"_s);
        hit.id = row.text(u"id"_s);
        hit.score = row.value(u"score"_s).toDouble();
        hit.contactId = row.text(u"contact_id"_s);
        hit.contactName = row.text(u"contact_name"_s);
        hit.contactPhone = row.text(u"contact_phone"_s);
        hit.conversationId = row.text(u"conversation_id"_s);
        hit.createdAt = row.time(u"created_at"_s);
        if (hit.kind == u"message"_s) {
            hit.text = row.text(u"body"_s);
        } else {
            QStringList fields{hit.contactName, hit.contactPhone, row.text(u"contact_email"_s)};
            fields.removeAll(QString());
            hit.text = fields.join(u" · "_s);
        }
        hits.append(std::move(hit));
    }
    return hits;
}

} // namespace SearchStore
