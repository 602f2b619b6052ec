// SPDX-License-Identifier: MIT
#include "sqlrow.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

using namespace Qt::StringLiterals;

QVariant SqlRow::value(const QString &column) const
{
    const int index = m_columns->value(column, -1);
    Q_ASSERT_X(index >= 0, "SqlRow", "unknown column");
    return index >= 0 ? m_values.at(index) : QVariant();
}

QString SqlRow::text(const QString &column) const
{
    return value(column).toString();
}

qint64 SqlRow::integer(const QString &column) const
{
    return value(column).toLongLong();
}

bool SqlRow::flag(const QString &column) const
{
    const QVariant v = value(column);
    if (v.typeId() == QMetaType::QString) {
        const QString s = v.toString();
        return s == u"1"_s || s == u"t"_s || s == u"true"_s;
    }
    return v.toBool();
}

bool SqlRow::isNull(const QString &column) const
{
    return value(column).isNull();
}

QDateTime SqlRow::time(const QString &column) const
{
    const QVariant v = value(column);
    if (v.isNull()) {
        return {};
    }
    if (v.typeId() == QMetaType::QDateTime) {
        return v.toDateTime().toUTC();
    }
    QDateTime parsed = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    if (!parsed.isValid()) {
        parsed = QDateTime::fromString(v.toString(), Qt::ISODate);
    }
    return parsed.toUTC();
}

QJsonValue SqlRow::json(const QString &column) const
{
    const QVariant v = value(column);
    if (v.isNull()) {
        return QJsonValue::Null;
    }
    const QJsonDocument document = QJsonDocument::fromJson(v.toString().toUtf8());
    if (document.isObject()) {
        return document.object();
    }
    if (document.isArray()) {
        return document.array();
    }
    return QJsonValue::Null;
}

QJsonValue SqlRow::isoTime(const QString &column) const
{
    const QDateTime t = time(column);
    return t.isValid() ? QJsonValue(isoUtc(t)) : QJsonValue(QJsonValue::Null);
}

QString isoUtc(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QString nowIso()
{
    return isoUtc(QDateTime::currentDateTimeUtc());
}
