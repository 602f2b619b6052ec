// SPDX-License-Identifier: MIT
#include "timekeyset.h"

#include "storage/sqlrow.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

Result<PageRequest> checkTimeCursor(PageRequest page)
{
    if (!page.after) {
        return page;
    }
    const QDateTime time = QDateTime::fromString(page.after->key, Qt::ISODateWithMs);
    if (!time.isValid() || page.after->id.isEmpty() || page.after->id.size() > 64) {
        return ApiError::validation({{u"cursor"_s, u"is not a cursor from a previous page"_s}});
    }
    page.after->key = isoUtc(time);
    return page;
}
