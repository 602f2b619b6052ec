// SPDX-License-Identifier: MIT
#include "settingsfields.h"

#include <QRegularExpression>
#include <QTimeZone>

using namespace Qt::StringLiterals;

std::optional<bool> SettingsFields::boolean(const QString &path, const QJsonValue &value)
{
    if (!value.isBool()) {
        add(path, u"must be true or false"_s);
        return std::nullopt;
    }
    return value.toBool();
}

std::optional<QString> SettingsFields::string(const QString &path, const QJsonValue &value,
                                              int maxLength)
{
    if (!value.isString()) {
        add(path, u"must be a string"_s);
        return std::nullopt;
    }
    const QString text = value.toString().trimmed();
    if (text.size() > maxLength) {
        add(path, u"must be at most %1 characters"_s.arg(maxLength));
        return std::nullopt;
    }
    return text;
}

std::optional<QString> SettingsFields::oneOf(const QString &path, const QJsonValue &value,
                                             const QStringList &choices)
{
    if (!value.isString() || !choices.contains(value.toString())) {
        add(path, u"must be one of: %1"_s.arg(choices.join(u", "_s)));
        return std::nullopt;
    }
    return value.toString();
}

std::optional<QString> SettingsFields::timeZone(const QString &path, const QJsonValue &value)
{
    if (!value.isString() || !isKnownTimeZone(value.toString())) {
        add(path, u"must be an IANA time zone such as Europe/Berlin or UTC"_s);
        return std::nullopt;
    }
    return value.toString();
}

std::optional<QJsonObject> SettingsFields::object(const QString &path, const QJsonValue &value)
{
    if (!value.isObject()) {
        add(path, u"must be an object"_s);
        return std::nullopt;
    }
    return value.toObject();
}

void SettingsFields::unknown(const QString &path)
{
    add(path, u"is not a known setting"_s);
}

void SettingsFields::add(const QString &path, const QString &message)
{
    m_errors.append({path, message});
}

bool isKnownTimeZone(const QString &id)
{
    // The shape first: QTimeZone reads files named by the id, so nothing path-like gets there.
    static const QRegularExpression shape(u"\\A[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+){0,2}\\z"_s);
    return id.size() <= 64 && shape.match(id).hasMatch() && QTimeZone(id.toLatin1()).isValid();
}
