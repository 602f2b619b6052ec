// SPDX-License-Identifier: MIT
#pragma once
// Reads the values of a settings document (user or team) and collects every problem as a field
// error named by its path ("notifications.email", "businessHours.days.mon[0].open"), so a client
// sees all of them in one 422.

#include "core/apierror.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

class SettingsFields
{
public:
    std::optional<bool> boolean(const QString &path, const QJsonValue &value);
    // A string of at most `maxLength` characters, trimmed.
    std::optional<QString> string(const QString &path, const QJsonValue &value, int maxLength);
    std::optional<QString> oneOf(const QString &path, const QJsonValue &value,
                                 const QStringList &choices);
    std::optional<QString> timeZone(const QString &path, const QJsonValue &value);
    std::optional<QJsonObject> object(const QString &path, const QJsonValue &value);
    // Merges `patch` into `current` key by key with `read(path, value)` giving each new value;
    // a key not in `current` is unknown (`current` holds every key, with its defaults).
    template<typename Read>
    QJsonObject mergeObject(const QString &path, QJsonObject current, const QJsonObject &patch,
                            Read read)
    {
        for (auto it = patch.begin(); it != patch.end(); ++it) {
            const QString keyPath = path + u'.' + it.key();
            if (!current.contains(it.key())) {
                unknown(keyPath);
            } else if (std::optional<QJsonValue> value = read(keyPath, it.key(), it.value())) {
                current.insert(it.key(), *value);
            }
        }
        return current;
    }

    void unknown(const QString &path);
    void add(const QString &path, const QString &message);
    [[nodiscard]] bool ok() const { return m_errors.isEmpty(); }
    [[nodiscard]] ApiError error() const { return ApiError::validation(m_errors); }

private:
    QList<FieldError> m_errors;
};

// An IANA time zone id QTimeZone knows ("Europe/Berlin", "UTC").
[[nodiscard]] bool isKnownTimeZone(const QString &id);
