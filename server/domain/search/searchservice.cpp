// SPDX-License-Identifier: MIT
#include "searchservice.h"

#include "domain/search/searchquery.h"
#include "domain/search/searchsnippet.h"
#include "domain/teamaccess.h"
#include "storage/database.h"
#include "storage/searchstore.h"

using namespace Qt::StringLiterals;

namespace {

// The cursor's key is the score with every digit (so it reads back as the same double), its id
// "<kind>:<id>".
PageCursor cursorAt(const SearchHit &hit)
{
    return PageCursor{QString::number(hit.score, 'g', 17), hit.kind + u':' + hit.id};
}

std::optional<SearchPosition> positionOf(const PageCursor &cursor)
{
    bool ok = false;
    const double score = cursor.key.toDouble(&ok);
    const qsizetype colon = cursor.id.indexOf(u':');
    if (!ok || colon < 0) {
        return std::nullopt;
    }
    SearchPosition position{score, cursor.id.left(colon), cursor.id.mid(colon + 1)};
    if (position.kind != u"message"_s && position.kind != u"contact"_s) {
        return std::nullopt;
    }
    return position;
}

} // namespace

SearchService::SearchService(Database *db, QObject *parent) : QObject(parent), m_db(db)
{
}

void SearchService::search(const QString &actorId, const QString &teamId, const QString &q,
                           const PageRequest &page, Reply<Page<SearchHit>> done)
{
    std::optional<SearchPosition> after;
    if (page.after) {
        after = positionOf(*page.after);
        if (!after) {
            return done(ApiError::validation(
                {{u"cursor"_s, u"is not a cursor from a previous page"_s}}));
        }
    }
    const SearchQuery query = SearchQuery::parse(q);
    const int limit = page.limit;
    m_db->run<Page<SearchHit>>(
        DbAccess::Read,
        [actorId, teamId, query, after, limit](DbConnection &db) -> Result<Page<SearchHit>> {
            if (Result<Role> role = requireRole(db, teamId, actorId, Role::Viewer); !role) {
                return role.error();
            }
            Page<SearchHit> result;
            if (query.isEmpty()) {
                return result; // nothing searchable in q (only punctuation): no hits
            }
            // One row more than asked tells whether another page follows.
            Result<QList<SearchHit>> hits = SearchStore::search(db, teamId, query, after, limit + 1);
            if (!hits) {
                return hits.error();
            }
            result.items = std::move(hits.value());
            if (result.items.size() > limit) {
                result.items.resize(limit);
                result.next = cursorAt(result.items.last());
            }
            for (SearchHit &hit : result.items) {
                hit.snippet = searchSnippet(hit.text, query.terms());
            }
            return result;
        },
        this, done);
}
