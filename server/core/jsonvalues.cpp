// SPDX-License-Identifier: MIT
#include "jsonvalues.h"

#include "storage/sqlrow.h"

QJsonValue jsonTextOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonValue isoTimeOrNull(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(isoUtc(time)) : QJsonValue(QJsonValue::Null);
}
