// SPDX-License-Identifier: MIT
#include "importprogress.h"

using namespace Qt::StringLiterals;

namespace {

constexpr int kBarWidth = 30;
constexpr qint64 kRedrawMs = 100; // a terminal need not be redrawn for every batch

qint64 done(const TableCounts &counts)
{
    return counts.imported + counts.present + counts.rejected;
}

} // namespace

ImportProgress::ImportProgress(FILE *out, bool interactive) : m_out(out), m_interactive(interactive)
{ }

void ImportProgress::print(const QString &line)
{
    std::fputs(line.toLocal8Bit().constData(), m_out);
    std::fflush(m_out);
}

void ImportProgress::begin(const QString &table, qint64 total)
{
    m_table = table;
    m_total = total;
    m_lastTenth = 0;
    m_clock.start();
    m_sinceDraw.start();
    if (m_interactive) {
        draw(TableCounts{table, 0, 0, 0, 0}, false);
    } else {
        print(u"%1: %2 rows to read\n"_s.arg(table).arg(total));
    }
}

void ImportProgress::advance(const TableCounts &counts)
{
    if (m_interactive) {
        if (m_sinceDraw.elapsed() >= kRedrawMs) {
            draw(counts, false);
            m_sinceDraw.restart();
        }
        return;
    }
    if (m_total <= 0) {
        return;
    }
    const int tenth = int(done(counts) * 10 / m_total);
    if (tenth > m_lastTenth && tenth < 10) {
        m_lastTenth = tenth;
        print(u"%1: %2/%3 (%4%)\n"_s.arg(m_table)
                  .arg(done(counts))
                  .arg(m_total)
                  .arg(done(counts) * 100 / m_total));
    }
}

void ImportProgress::end(const TableCounts &counts)
{
    if (m_interactive) {
        draw(counts, true);
        print(u"\n"_s);
        return;
    }
    print(u"%1: done in %2 s: %3 imported, %4 already present, %5 rejected\n"_s.arg(m_table)
              .arg(double(m_clock.elapsed()) / 1000.0, 0, 'f', 1)
              .arg(counts.imported)
              .arg(counts.present)
              .arg(counts.rejected));
}

void ImportProgress::draw(const TableCounts &counts, bool final)
{
    const qint64 n = done(counts);
    const double fraction = m_total > 0 ? std::min(1.0, double(n) / double(m_total)) : 1.0;
    const int filled = int(fraction * kBarWidth);
    const QString bar = QString(filled, u'#') + QString(kBarWidth - filled, u'.');
    const double seconds = std::max(0.001, double(m_clock.elapsed()) / 1000.0);
    // \r back to the start of the line, \x1b[K clears what a longer earlier draw left behind.
    print(u"\r%1 [%2] %3% %4/%5  %6 rows/s%7\x1b[K"_s.arg(m_table, -16)
              .arg(bar)
              .arg(int(fraction * 100), 3)
              .arg(n)
              .arg(m_total)
              .arg(qint64(double(n) / seconds))
              .arg(final ? u"  (%1 s)"_s.arg(seconds, 0, 'f', 1) : QString()));
}

void ImportProgress::rejected(const QList<Rejection> &rejections)
{
    QString text;
    for (qsizetype i = 0; i < rejections.size() && i < kShownRejections; ++i) {
        const Rejection &r = rejections.at(i);
        text += u"  rejected %1 %2: %3\n"_s.arg(r.table, r.id, r.reason);
    }
    if (rejections.size() > kShownRejections) {
        text += u"  ... and %1 more rejected rows\n"_s.arg(rejections.size() - kShownRejections);
    }
    if (!text.isEmpty()) {
        print(text);
    }
}

void ImportProgress::noticed(const QList<Rejection> &notices)
{
    QString text;
    for (qsizetype i = 0; i < notices.size() && i < kShownRejections; ++i) {
        const Rejection &n = notices.at(i);
        text += u"  note: %1 %2 %3\n"_s.arg(n.table, n.id, n.reason);
    }
    if (notices.size() > kShownRejections) {
        text += u"  ... and %1 more notes\n"_s.arg(notices.size() - kShownRejections);
    }
    if (!text.isEmpty()) {
        print(text);
    }
}

void ImportProgress::summary(const ImportSummary &summary, bool dryRun)
{
    QString text = dryRun ? u"\nDry run: nothing was written.\n"_s : u"\n"_s;
    text += u"%1 %2 %3 %4\n"_s.arg(u"table"_s, -16)
                .arg(dryRun ? u"would import"_s : u"imported"_s, 12)
                .arg(u"already present"_s, 16)
                .arg(u"rejected"_s, 9);
    for (const TableCounts &t : summary.tables) {
        text += u"%1 %2 %3 %4\n"_s.arg(t.table, -16)
                    .arg(t.imported, 12)
                    .arg(t.present, 16)
                    .arg(t.rejected, 9);
    }
    print(text);
}
