// SPDX-License-Identifier: MIT
#include "settingsdocument.h"

namespace SettingsDocument {

namespace {

QJsonValue overlay(const QJsonValue &base, const QJsonValue &top)
{
    if (top.isUndefined() || top.isNull()) {
        return base;
    }
    if (!base.isObject() || !top.isObject()) {
        // a stored value of another type than its default is ignored (a hand-edited row)
        return base.type() == top.type() ? top : base;
    }
    QJsonObject merged = base.toObject();
    const QJsonObject over = top.toObject();
    for (auto it = over.begin(); it != over.end(); ++it) {
        merged.insert(it.key(), overlay(merged.value(it.key()), it.value()));
    }
    return merged;
}

} // namespace

QJsonObject withDefaults(const QJsonObject &defaults, const QJsonObject &stored)
{
    QJsonObject full;
    for (auto it = defaults.begin(); it != defaults.end(); ++it) {
        full.insert(it.key(), overlay(it.value(), stored.value(it.key())));
    }
    return full;
}

QJsonObject merge(const QJsonObject &defaults, const QJsonObject &stored, const QJsonObject &patch,
                  SettingsFields &fields, const ReadKey &read)
{
    QJsonObject result;
    for (auto it = stored.begin(); it != stored.end(); ++it) {
        if (defaults.contains(it.key())) {
            result.insert(it.key(), it.value());
        }
    }
    const QJsonObject current = withDefaults(defaults, stored);
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (!defaults.contains(it.key())) {
            fields.unknown(it.key());
        } else if (it.value().isNull()) {
            result.remove(it.key());
        } else if (std::optional<QJsonValue> value = read(fields, current, it.key(), it.value())) {
            result.insert(it.key(), *value);
        }
    }
    return result;
}

} // namespace SettingsDocument
