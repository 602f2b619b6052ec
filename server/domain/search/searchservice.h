// SPDX-License-Identifier: MIT
#pragma once
// The search use case: a team's messages and contacts matching a query, ranked, a page at a
// time (viewer role). Pages continue from the last hit's (score, kind, id), so there is no
// OFFSET to grow with the page number.

#include "core/result.h"
#include "domain/page.h"
#include "domain/search/searchtypes.h"

#include <QObject>

#include <functional>

class Database;

class SearchService : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Reply = std::function<void(Result<T>)>;

    static constexpr int DefaultLimit = 20;
    static constexpr int MaxLimit = 50;

    explicit SearchService(Database *db, QObject *parent = nullptr);

    // `q` must be 1..SearchQuery::MaxLength characters (the API layer checks); a cursor that is
    // not one of ours is a 422 on `cursor`.
    void search(const QString &actorId, const QString &teamId, const QString &q,
                const PageRequest &page, Reply<Page<SearchHit>> done);

private:
    Database *m_db;
};
