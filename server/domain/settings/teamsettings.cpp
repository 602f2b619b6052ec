// SPDX-License-Identifier: MIT
#include "teamsettings.h"

#include "domain/settings/settingsdocument.h"
#include "domain/settings/settingsfields.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace TeamSettings {

namespace {

constexpr int MaxIntervalsPerDay = 10;
const QStringList kDays{u"mon"_s, u"tue"_s, u"wed"_s, u"thu"_s, u"fri"_s, u"sat"_s, u"sun"_s};

std::optional<QJsonValue> some(const std::optional<QString> &text)
{
    return text ? std::optional<QJsonValue>(QJsonValue(*text)) : std::nullopt;
}

std::optional<QJsonValue> flag(SettingsFields &fields, const QString &path, const QJsonValue &value)
{
    const std::optional<bool> b = fields.boolean(path, value);
    return b ? std::optional<QJsonValue>(*b) : std::nullopt;
}

// "HH:MM" on a 24-hour clock; a closing time may also be "24:00" (open until midnight).
bool isClockTime(const QString &text, bool closing)
{
    static const QRegularExpression pattern(u"\\A([01][0-9]|2[0-3]):[0-5][0-9]\\z"_s);
    return pattern.match(text).hasMatch() || (closing && text == u"24:00"_s);
}

// A day's opening intervals: [{open:"09:00", close:"12:00"}, ...], returned sorted; each must
// open before it closes and none may overlap another.
std::optional<QJsonValue> intervals(SettingsFields &fields, const QString &path,
                                    const QJsonValue &value)
{
    if (!value.isArray()) {
        fields.add(path, u"must be an array of {open, close} (an empty array: closed)"_s);
        return std::nullopt;
    }
    const QJsonArray array = value.toArray();
    if (array.size() > MaxIntervalsPerDay) {
        fields.add(path, u"must have at most %1 intervals"_s.arg(MaxIntervalsPerDay));
        return std::nullopt;
    }
    QList<std::pair<QString, QString>> spans;
    bool ok = true;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString itemPath = path + u'[' + QString::number(i) + u']';
        const QJsonObject item = array.at(i).toObject();
        if (!array.at(i).isObject()) {
            fields.add(itemPath, u"must be an object {open, close}"_s);
            ok = false;
            continue;
        }
        for (const QString &key : item.keys()) {
            if (key != u"open"_s && key != u"close"_s) {
                fields.unknown(itemPath + u'.' + key);
                ok = false;
            }
        }
        const QString open = item.value(u"open"_s).toString();
        const QString close = item.value(u"close"_s).toString();
        if (!isClockTime(open, false)) {
            fields.add(itemPath + u".open"_s, u"must be a time HH:MM from 00:00 to 23:59"_s);
            ok = false;
        }
        if (!isClockTime(close, true)) {
            fields.add(itemPath + u".close"_s, u"must be a time HH:MM from 00:01 to 24:00"_s);
            ok = false;
        }
        if (isClockTime(open, false) && isClockTime(close, true) && !(open < close)) {
            fields.add(itemPath, u"must open before it closes"_s);
            ok = false;
        }
        spans.append({open, close});
    }
    if (!ok) {
        return std::nullopt;
    }
    // Zero-padded times compare correctly as text.
    std::sort(spans.begin(), spans.end());
    QJsonArray sorted;
    for (qsizetype i = 0; i < spans.size(); ++i) {
        if (i > 0 && spans.at(i).first < spans.at(i - 1).second) {
            fields.add(path, u"has overlapping intervals"_s);
            return std::nullopt;
        }
        sorted.append(QJsonObject{{u"open"_s, spans.at(i).first}, {u"close"_s, spans.at(i).second}});
    }
    return sorted;
}

std::optional<QJsonValue> businessHours(SettingsFields &fields, const QJsonObject &current,
                                        const QJsonValue &value)
{
    const QString key = u"businessHours"_s;
    const std::optional<QJsonObject> patch = fields.object(key, value);
    if (!patch) {
        return std::nullopt;
    }
    const QJsonObject now = current.value(key).toObject();
    return fields.mergeObject(
        key, now, *patch,
        [&fields, &now](const QString &path, const QString &sub, const QJsonValue &v)
            -> std::optional<QJsonValue> {
            if (sub == u"timezone"_s) {
                return some(fields.timeZone(path, v));
            }
            const std::optional<QJsonObject> days = fields.object(path, v);
            if (!days) {
                return std::nullopt;
            }
            return fields.mergeObject(path, now.value(u"days"_s).toObject(), *days,
                                      [&fields](const QString &dayPath, const QString &,
                                                const QJsonValue &day) {
                                          return intervals(fields, dayPath, day);
                                      });
        });
}

std::optional<QJsonValue> autoReply(SettingsFields &fields, const QJsonObject &current,
                                    const QJsonValue &value)
{
    const QString key = u"autoReply"_s;
    const std::optional<QJsonObject> patch = fields.object(key, value);
    if (!patch) {
        return std::nullopt;
    }
    return fields.mergeObject(
        key, current.value(key).toObject(), *patch,
        [&fields](const QString &path, const QString &sub, const QJsonValue &v)
            -> std::optional<QJsonValue> {
            if (sub == u"text"_s) {
                return some(fields.string(path, v, MaxAutoReplyLength));
            }
            return flag(fields, path, v);
        });
}

std::optional<QJsonValue> readKey(SettingsFields &fields, const QJsonObject &current,
                                  const QString &key, const QJsonValue &value)
{
    if (key == u"defaultRegion"_s) {
        const QString region = value.toString().toUpper();
        if (!value.isString() || !isSupportedRegion(region)) {
            fields.add(key, u"must be an ISO 3166-1 alpha-2 region code such as US or DE"_s);
            return std::nullopt;
        }
        return region;
    }
    if (key == u"signupMode"_s) {
        return some(fields.oneOf(key, value, {u"invite"_s, u"open"_s, u"closed"_s}));
    }
    if (key == u"businessHours"_s) {
        return businessHours(fields, current, value);
    }
    if (key == u"autoReply"_s) {
        return autoReply(fields, current, value);
    }
    fields.unknown(key);
    return std::nullopt;
}

} // namespace

QJsonObject defaults()
{
    const QJsonArray nineToFive{QJsonObject{{u"open"_s, u"09:00"_s}, {u"close"_s, u"17:00"_s}}};
    QJsonObject days;
    for (const QString &day : kDays) {
        days.insert(day, day == u"sat"_s || day == u"sun"_s ? QJsonArray() : nineToFive);
    }
    return QJsonObject{
        {u"defaultRegion"_s, u"US"_s},
        {u"signupMode"_s, u"invite"_s},
        {u"businessHours"_s, QJsonObject{{u"timezone"_s, u"UTC"_s}, {u"days"_s, days}}},
        {u"autoReply"_s, QJsonObject{{u"enabled"_s, false},
                                     {u"text"_s, QString()},
                                     {u"outsideBusinessHoursOnly"_s, true}}},
    };
}

QJsonObject withDefaults(const QString &name, const QJsonObject &stored)
{
    QJsonObject full = SettingsDocument::withDefaults(defaults(), stored);
    full.insert(u"name"_s, name);
    return full;
}

Result<Change> merge(const QJsonObject &stored, const QJsonObject &patch)
{
    SettingsFields fields;
    Change change;
    QJsonObject documentPatch = patch;
    if (documentPatch.contains(u"name"_s)) {
        const QJsonValue value = documentPatch.take(u"name"_s);
        const std::optional<QString> name = fields.string(u"name"_s, value, MaxNameLength);
        if (name && name->isEmpty()) {
            fields.add(u"name"_s, u"must not be empty"_s);
        } else if (name) {
            change.name = name;
        }
    }
    change.document = SettingsDocument::merge(defaults(), stored, documentPatch, fields, readKey);
    const QJsonObject reply =
        SettingsDocument::withDefaults(defaults(), change.document).value(u"autoReply"_s).toObject();
    if (fields.ok() && reply.value(u"enabled"_s).toBool()
        && reply.value(u"text"_s).toString().isEmpty()) {
        fields.add(u"autoReply.text"_s, u"must not be empty while the auto-reply is enabled"_s);
    }
    if (!fields.ok()) {
        return fields.error();
    }
    return change;
}

bool isSupportedRegion(const QString &region)
{
    static const QSet<QString> regions = [] {
        std::set<std::string> codes;
        i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetSupportedRegions(&codes);
        QSet<QString> set;
        for (const std::string &code : codes) {
            set.insert(QString::fromStdString(code));
        }
        return set;
    }();
    return region.size() == 2 && regions.contains(region);
}

} // namespace TeamSettings
