// SPDX-License-Identifier: MIT
#pragma once
// How far the import is, per table: on a terminal one line per table that redraws itself
// (a bar, the count, the rate); otherwise plain lines (a start line, one per tenth, an end
// line), so a log file or a CI job gets readable text without control characters.

#include "importer/importtypes.h"

#include <QElapsedTimer>
#include <QString>

#include <cstdio>

class ImportProgress
{
public:
    // `interactive`: draw a bar (the output is a terminal).
    ImportProgress(FILE *out, bool interactive);

    void begin(const QString &table, qint64 total);
    void advance(const TableCounts &counts);
    void end(const TableCounts &counts);
    // The rows of the table just ended that could not be imported, with the reason (at most
    // kShownRejections each; the rest are counted).
    void rejected(const QList<Rejection> &rejections);
    // Rows of that table imported with a change (e.g. a contact without its duplicate number).
    void noticed(const QList<Rejection> &notices);
    // The closing table of counts per table.
    void summary(const ImportSummary &summary, bool dryRun);

    static constexpr int kShownRejections = 1000;

private:
    void draw(const TableCounts &counts, bool final);
    void print(const QString &line);

    FILE *m_out;
    bool m_interactive;
    QString m_table;
    qint64 m_total = 0;
    int m_lastTenth = 0;
    QElapsedTimer m_clock;
    QElapsedTimer m_sinceDraw;
};
