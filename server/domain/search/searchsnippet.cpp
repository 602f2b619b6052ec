// SPDX-License-Identifier: MIT
#include "searchsnippet.h"

#include <algorithm>

using namespace Qt::StringLiterals;

QString searchSnippet(const QString &text, const QStringList &terms, int maxLength)
{
    const QString flat = text.simplified();
    if (flat.size() <= maxLength) {
        return flat;
    }
    qsizetype hit = -1;
    for (const QString &term : terms) {
        const qsizetype at = flat.indexOf(term, 0, Qt::CaseInsensitive);
        if (at >= 0 && (hit < 0 || at < hit)) {
            hit = at;
        }
    }
    // A third of the excerpt before the match gives it context; without a literal match (the
    // engine matched a token of a longer term) the start of the text is shown.
    qsizetype start = hit < 0 ? 0 : std::max<qsizetype>(0, hit - maxLength / 3);
    start = std::min<qsizetype>(start, flat.size() - maxLength);
    if (start > 0) {
        const qsizetype space = flat.indexOf(u' ', start);
        if (space >= 0 && space < start + 20 && space < hit) {
            start = space + 1; // do not start in the middle of a word
        }
    }
    const QString prefix = start > 0 ? u"…"_s : QString();
    const QString suffix = start + maxLength < flat.size() ? u"…"_s : QString();
    return prefix + flat.mid(start, maxLength) + suffix;
}
