// SPDX-License-Identifier: MIT
#pragma once
// What the user typed, turned into something neither full-text engine can misread. Each
// whitespace-separated term becomes a quoted phrase (double quotes dropped, terms without a
// letter or digit skipped), and the phrases are OR-ed: a row matching more terms ranks higher,
// and no input (quotes, *, OR, NEAR(, -, column filters) can change the query's syntax.

#include <QString>
#include <QStringList>

class SearchQuery
{
public:
    static constexpr int MaxLength = 200; // characters of q
    static constexpr int MaxTerms = 16;   // further terms are ignored

    [[nodiscard]] static SearchQuery parse(const QString &q);

    // q trimmed, runs of whitespace made one space: compared with names, phones and emails
    // for the exact-match boost.
    [[nodiscard]] const QString &text() const { return m_text; }
    [[nodiscard]] const QStringList &terms() const { return m_terms; }
    [[nodiscard]] bool isEmpty() const { return m_terms.isEmpty(); }

    // SQLite FTS5: "t1" OR "t2" (each a string, so FTS5 operators in it are plain words).
    [[nodiscard]] QString fts5Match() const;
    // PostgreSQL websearch_to_tsquery: "t1" or "t2" (quoted, so "-" and "or" are plain words).
    [[nodiscard]] QString websearch() const;

private:
    [[nodiscard]] QString phrases(const QString &separator) const;

    QString m_text;
    QStringList m_terms;
};
