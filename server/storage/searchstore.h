// SPDX-License-Identifier: MIT
#pragma once
// Full-text search over a team's message bodies and contacts (names, phones, emails): SQLite
// FTS5 (messages_fts, contacts_fts, kept in step by triggers) ranked with bm25(); PostgreSQL
// search_tsv (generated columns, GIN indexes) ranked with ts_rank. Both relevances r are mapped
// to r / (1 + r), and a contact whose name, phone or email equals the whole query gets +1, so
// scores are in [0, 2) and an exact contact comes first. Only the CandidatesPerKind most recent
// matching messages (and contacts) are ranked, so a search costs the same at 10k or 1M rows.
// Runs on a database thread.

#include "core/result.h"
#include "domain/search/searchquery.h"
#include "domain/search/searchtypes.h"
#include "storage/dbconnection.h"

#include <optional>

namespace SearchStore {

constexpr int CandidatesPerKind = 300;

// Up to `limit` hits after `after` (see SearchPosition), best first. Contacts merged into
// another are left out. `query` must not be empty.
[[nodiscard]] Result<QList<SearchHit>> search(DbConnection &db, const QString &teamId,
                                              const SearchQuery &query,
                                              const std::optional<SearchPosition> &after,
                                              int limit);

} // namespace SearchStore
