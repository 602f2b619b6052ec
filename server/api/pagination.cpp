// SPDX-License-Identifier: MIT
#include "pagination.h"

using namespace Qt::StringLiterals;

Result<PageRequest> parsePageRequest(const HttpRequest &request, int defaultLimit, int maxLimit)
{
    PageRequest page;
    page.limit = defaultLimit;
    QList<FieldError> errors;
    const QString limit = request.queryValue(u"limit"_s);
    if (!limit.isEmpty()) {
        bool ok = false;
        const int value = limit.toInt(&ok);
        if (!ok || value < 1 || value > maxLimit) {
            errors.append({u"limit"_s, u"must be a whole number from 1 to %1"_s.arg(maxLimit)});
        } else {
            page.limit = value;
        }
    }
    const QString cursor = request.queryValue(u"cursor"_s);
    if (!cursor.isEmpty()) {
        page.after = decodeCursor(cursor);
        if (!page.after) {
            errors.append({u"cursor"_s, u"is not a cursor from a previous page"_s});
        }
    }
    if (!errors.isEmpty()) {
        return ApiError::validation(errors);
    }
    return page;
}

QJsonObject pageJson(const QJsonArray &data, const std::optional<PageCursor> &next)
{
    return QJsonObject{{u"data"_s, data},
                       {u"nextCursor"_s, next ? QJsonValue(encodeCursor(*next)) : QJsonValue()}};
}
