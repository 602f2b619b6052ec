// SPDX-License-Identifier: MIT
#include "sqlrow.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

using namespace Qt::StringLiterals;

QVariant SqlRow::value(const QString &column) const
{
    // A handful of columns: comparing names beats hashing them.
    int index = -1;
    const QStringList &names = *m_columns;
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (names.at(i) == column) {
            index = int(i);
            break;
        }
    }
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
    // Hot: every timestamp of every answer. QDateTime::toString goes through the time-zone
    // database and asprintf; the civil date from days since the epoch (Howard Hinnant's
    // algorithm) is exact for the proleptic Gregorian calendar and allocates once.
    const qint64 msecs = time.toMSecsSinceEpoch();
    qint64 days = msecs / 86'400'000;
    qint64 msOfDay = msecs % 86'400'000;
    if (msOfDay < 0) {
        msOfDay += 86'400'000;
        --days;
    }
    days += 719'468;
    const qint64 era = (days >= 0 ? days : days - 146'096) / 146'097;
    const qint64 dayOfEra = days - era * 146'097;
    const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36'524 - dayOfEra / 146'096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 mp = (5 * dayOfYear + 2) / 153;
    const int day = int(dayOfYear - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const qint64 year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999) {
        return time.toUTC().toString(Qt::ISODateWithMs);
    }
    const int ms = int(msOfDay % 1000);
    const int second = int(msOfDay / 1000 % 60);
    const int minute = int(msOfDay / 60'000 % 60);
    const int hour = int(msOfDay / 3'600'000);
    char16_t text[24];
    const auto put = [&text](int at, int value, int width) {
        for (int i = width - 1; i >= 0; --i) {
            text[at + i] = char16_t(u'0' + value % 10);
            value /= 10;
        }
    };
    put(0, int(year), 4);
    text[4] = u'-';
    put(5, month, 2);
    text[7] = u'-';
    put(8, day, 2);
    text[10] = u'T';
    put(11, hour, 2);
    text[13] = u':';
    put(14, minute, 2);
    text[16] = u':';
    put(17, second, 2);
    text[19] = u'.';
    put(20, ms, 3);
    text[23] = u'Z';
    return QString(reinterpret_cast<const QChar *>(text), 24);
}

QString nowIso()
{
    return isoUtc(QDateTime::currentDateTimeUtc());
}
