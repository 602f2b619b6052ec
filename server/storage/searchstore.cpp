// SPDX-License-Identifier: MIT
#include "searchstore.h"

using namespace Qt::StringLiterals;

namespace SearchStore {

namespace {

// A query runs in three layers, the same on both engines:
//  1. candidates: per kind, the team's CandidatesPerKind most recent matches, each with its
//     engine relevance. Bounding this keeps a search's cost flat however many rows match (a
//     common word matches most of a million messages; ranking them all took seconds); the
//     price is that only the most recent matches compete for the ranking.
//  2. the page: candidates ordered by score DESC, kind, id after the position, LIMIT;
//  3. the page's rows joined to their contact and message body (only `limit` lookups).
// The relevance r (bm25 turned positive, or ts_rank) maps to r / (1 + r) in [0, 1); a contact
// whose name, phone or email equals the whole query adds 1.

const QString kExactContact =
    u"CASE WHEN lower(c.name) = lower(?) OR c.phone = ? OR lower(c.email) = lower(?) "
    "THEN 1.0 ELSE 0.0 END"_s;

const QString kPageColumns =
    u"SELECT p.kind, p.id, p.score, p.contact_id, p.conversation_id, p.created_at, "
    "hc.name AS contact_name, hc.phone AS contact_phone, hc.email AS contact_email, "
    "mb.body AS body FROM ("_s;

const QString kPageTail =
    u") AS p JOIN contacts hc ON hc.id = p.contact_id "
    "LEFT JOIN messages mb ON p.kind = 'message' AND mb.id = p.id "
    "ORDER BY p.score DESC, p.kind, p.id"_s;

// The score of the first page's position is above any real score (they are below 2).
constexpr double kBeforeFirst = 1e9;

// SQLite: CROSS JOIN makes the FTS table drive the join (otherwise the planner walks the
// team's messages and probes the index once per row), and FTS5 serves ORDER BY rowid DESC
// itself, so LIMIT stops the scan. bm25() is negative, better is lower; contacts weigh a name
// above a phone or an email. Binds: match, team, candidates; exact x3, match, team,
// candidates; score, score, kind, id, limit.
const QString kSqliteSql = kPageColumns
    + u"SELECT s.* FROM (SELECT h.*, h.exact + h.r / (1.0 + h.r) AS score FROM ("
      "SELECT * FROM (SELECT 'message' AS kind, m.id AS id, m.contact_id AS contact_id, "
      "m.conversation_id AS conversation_id, m.created_at AS created_at, "
      "-bm25(messages_fts) AS r, 0.0 AS exact "
      "FROM messages_fts CROSS JOIN messages m ON m.rowid = messages_fts.rowid "
      "WHERE messages_fts MATCH ? AND m.team_id = ? "
      "ORDER BY messages_fts.rowid DESC LIMIT ?) "
      "UNION ALL "
      "SELECT * FROM (SELECT 'contact', c.id, c.id, NULL, c.created_at, "
      "-bm25(contacts_fts, 4.0, 2.0, 2.0), "_s
    + kExactContact
    + u" FROM contacts_fts CROSS JOIN contacts c ON c.rowid = contacts_fts.rowid "
      "WHERE contacts_fts MATCH ? AND c.team_id = ? AND c.merged_into IS NULL "
      "ORDER BY contacts_fts.rowid DESC LIMIT ?)"
      ") AS h) AS s "
      "WHERE s.score < ? OR (s.score = ? AND (s.kind, s.id) > (?, ?)) "
      "ORDER BY s.score DESC, s.kind, s.id LIMIT ?"_s
    + kPageTail;

// PostgreSQL: the tsquery is computed in each arm's FROM, so a custom plan sees its value and
// picks, per query, between the GIN index (rare words) and walking messages_team_time backwards
// (common words, where LIMIT stops early). The position's score is sent as text and cast, so it
// compares with the computed double exactly. Binds: query, team, candidates; exact x3, query,
// team, candidates; score, score, kind, id, limit.
const QString kPostgresSql = kPageColumns
    + u"SELECT s.* FROM (SELECT h.*, h.exact + h.r / (1.0 + h.r) AS score FROM ("
      "(SELECT 'message'::text AS kind, m.id, m.contact_id, m.conversation_id, m.created_at, "
      "ts_rank(m.search_tsv, q)::float8 AS r, 0.0::float8 AS exact "
      "FROM messages m, websearch_to_tsquery('simple', ?) AS q "
      "WHERE m.team_id = ? AND m.search_tsv @@ q "
      "ORDER BY m.created_at DESC, m.id DESC LIMIT ?) "
      "UNION ALL "
      "(SELECT 'contact'::text, c.id, c.id, NULL, c.created_at, "
      "ts_rank(c.search_tsv, q)::float8, ("_s
    + kExactContact
    + u")::float8 FROM contacts c, websearch_to_tsquery('simple', ?) AS q "
      "WHERE c.team_id = ? AND c.merged_into IS NULL AND c.search_tsv @@ q "
      "ORDER BY c.created_at DESC, c.id DESC LIMIT ?)"
      ") AS h) AS s "
      "WHERE s.score < CAST(? AS double precision) "
      "OR (s.score = CAST(? AS double precision) AND (s.kind, s.id) > (?, ?)) "
      "ORDER BY s.score DESC, s.kind, s.id LIMIT ?"_s
    + kPageTail;

} // namespace

Result<QList<SearchHit>> search(DbConnection &db, const QString &teamId, const SearchQuery &query,
                                const std::optional<SearchPosition> &after, int limit)
{
    const QString exact = query.text();
    const double score = after ? after->score : kBeforeFirst;
    const QString kind = after ? after->kind : QString();
    const QString id = after ? after->id : QString();

    Result<SqlRows> rows = SqlRows();
    if (db.dialect() == Dialect::Sqlite) {
        const QString match = query.fts5Match();
        rows = db.query(kSqliteSql, {match, teamId, CandidatesPerKind, exact, exact, exact, match,
                                     teamId, CandidatesPerKind, score, score, kind, id, limit});
    } else {
        // Every digit of the score, so the cast gives back the very same double.
        const QString position = QString::number(score, 'g', 17);
        const QString websearch = query.websearch();
        // A generic plan (what a prepared statement falls back to after a few runs) cannot see
        // how common the words are, and picks one plan for rare and common words alike. (SET
        // cannot be prepared, hence set_config; the connection's own setting is put back.)
        Result<std::optional<SqlRow>> mode =
            db.queryOne(u"SELECT current_setting('plan_cache_mode') AS mode"_s);
        if (!mode) {
            return mode.error();
        }
        const QString previous = mode.value() ? mode.value()->text(u"mode"_s) : u"auto"_s;
        const QString setMode = u"SELECT set_config('plan_cache_mode', ?, false) AS mode"_s;
        if (Result<SqlRows> set = db.query(setMode, {u"force_custom_plan"_s}); !set) {
            return set.error();
        }
        rows = db.query(kPostgresSql, {websearch, teamId, CandidatesPerKind, exact, exact, exact,
                                       websearch, teamId, CandidatesPerKind, position, position,
                                       kind, id, limit});
        if (Result<SqlRows> reset = db.query(setMode, {previous}); !reset) {
            return reset.error();
        }
    }
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
