// SPDX-License-Identifier: MIT
#include "usersettings.h"

#include "domain/settings/settingsfields.h"
#include "domain/settings/settingsdocument.h"

#include <QLocale>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace UserSettings {

namespace {

// "en", "de-DE", "pt-BR": a language QLocale knows, optionally with a territory it knows.
std::optional<QString> locale(SettingsFields &fields, const QString &path, const QJsonValue &value)
{
    static const QRegularExpression shape(u"\\A([a-z]{2,3})(-([A-Z]{2}))?\\z"_s);
    const QRegularExpressionMatch match = shape.match(value.toString());
    if (value.isString() && match.hasMatch()) {
        const QLocale known(value.toString());
        const bool languageOk = known.language() != QLocale::C
                && QLocale::languageToCode(known.language()) == match.captured(1);
        const bool territoryOk = !match.hasCaptured(3)
                || QLocale::territoryToCode(known.territory()) == match.captured(3);
        if (languageOk && territoryOk) {
            return value.toString();
        }
    }
    fields.add(path, u"must be a language tag such as en or de-DE"_s);
    return std::nullopt;
}

std::optional<QJsonValue> readKey(SettingsFields &fields, const QJsonObject &current,
                                  const QString &key, const QJsonValue &value)
{
    const auto some = [](const auto &v) -> std::optional<QJsonValue> {
        return v ? std::optional<QJsonValue>(QJsonValue(*v)) : std::nullopt;
    };
    if (key == u"notifications"_s) {
        const std::optional<QJsonObject> patch = fields.object(key, value);
        if (!patch) {
            return std::nullopt;
        }
        return fields.mergeObject(key, current.value(key).toObject(), *patch,
                                  [&fields](const QString &path, const QString &, const QJsonValue &v) {
                                      const std::optional<bool> flag = fields.boolean(path, v);
                                      return flag ? std::optional<QJsonValue>(*flag) : std::nullopt;
                                  });
    }
    if (key == u"theme"_s) {
        return some(fields.oneOf(key, value, {u"light"_s, u"dark"_s, u"system"_s}));
    }
    if (key == u"locale"_s) {
        return some(locale(fields, key, value));
    }
    if (key == u"timezone"_s) {
        return some(fields.timeZone(key, value));
    }
    if (key == u"conversationListDensity"_s) {
        return some(fields.oneOf(key, value, {u"comfortable"_s, u"compact"_s}));
    }
    fields.unknown(key);
    return std::nullopt;
}

} // namespace

QJsonObject defaults()
{
    return QJsonObject{
        {u"notifications"_s,
         QJsonObject{{u"email"_s, true}, {u"desktop"_s, true}, {u"sound"_s, true}}},
        {u"theme"_s, u"system"_s},
        {u"locale"_s, u"en"_s},
        {u"timezone"_s, u"UTC"_s},
        {u"conversationListDensity"_s, u"comfortable"_s},
    };
}

QJsonObject withDefaults(const QJsonObject &stored)
{
    return SettingsDocument::withDefaults(defaults(), stored);
}

Result<QJsonObject> merge(const QJsonObject &stored, const QJsonObject &patch)
{
    SettingsFields fields;
    QJsonObject merged = SettingsDocument::merge(defaults(), stored, patch, fields, readKey);
    if (!fields.ok()) {
        return fields.error();
    }
    return merged;
}

} // namespace UserSettings
