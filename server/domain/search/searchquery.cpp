// SPDX-License-Identifier: MIT
#include "searchquery.h"

#include <algorithm>

using namespace Qt::StringLiterals;

SearchQuery SearchQuery::parse(const QString &q)
{
    SearchQuery query;
    query.m_text = q.simplified();
    for (QString term : query.m_text.split(u' ', Qt::SkipEmptyParts)) {
        // A double quote would end the phrase it is put in; nothing else needs escaping inside one.
        term.remove(u'"');
        const bool searchable =
            std::any_of(term.cbegin(), term.cend(), [](QChar c) { return c.isLetterOrNumber(); });
        if (searchable && !query.m_terms.contains(term, Qt::CaseInsensitive)) {
            query.m_terms.append(term);
            if (query.m_terms.size() == MaxTerms) {
                break;
            }
        }
    }
    return query;
}

QString SearchQuery::phrases(const QString &separator) const
{
    QStringList quoted;
    for (const QString &term : m_terms) {
        quoted.append(u'"' + term + u'"');
    }
    return quoted.join(separator);
}

QString SearchQuery::fts5Match() const
{
    return phrases(u" OR "_s);
}

QString SearchQuery::websearch() const
{
    return phrases(u" or "_s);
}
