// SPDX-License-Identifier: MIT
#pragma once
// Small conversions between domain values and SQL binds/results that every store needs: an
// absent value binds as NULL (a null QVariant in both dialects), timestamps bind as ISO text.

#include "core/result.h"
#include "storage/sqlrow.h"

#include <QDateTime>
#include <QVariant>

// "" → NULL
[[nodiscard]] inline QVariant nullableText(const QString &value)
{
    return value.isEmpty() ? QVariant() : QVariant(value);
}

// invalid time → NULL, else ISO-8601 UTC with milliseconds
[[nodiscard]] inline QVariant nullableTime(const QDateTime &time)
{
    return time.isValid() ? QVariant(isoUtc(time)) : QVariant();
}

// The rows-affected count of an exec() dropped, its error kept.
[[nodiscard]] inline Status execStatus(const Result<qint64> &result)
{
    if (!result) {
        return result.error();
    }
    return Done{};
}
