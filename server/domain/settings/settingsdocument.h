// SPDX-License-Identifier: MIT
#pragma once
// The mechanics shared by the user and team settings documents: defaults filled in on read, and
// a PATCH merged key by key into what is stored.

#include "domain/settings/settingsfields.h"

#include <QJsonObject>

#include <functional>
#include <optional>

namespace SettingsDocument {

// Reads one top-level key of a PATCH: the value to store, or nullopt after adding a field
// error. `current` is the full document (stored over defaults), for keys that merge sub-keys.
using ReadKey = std::function<std::optional<QJsonValue>(
        SettingsFields &fields, const QJsonObject &current, const QString &key,
        const QJsonValue &value)>;

// `stored` over `defaults`, objects merged recursively; keys not in `defaults` are dropped.
[[nodiscard]] QJsonObject withDefaults(const QJsonObject &defaults, const QJsonObject &stored);

// The document to store after `patch`: keys not in `defaults` are unknown (field error), null
// removes a key (back to its default), anything else goes through `read`.
[[nodiscard]] QJsonObject merge(const QJsonObject &defaults, const QJsonObject &stored,
                                const QJsonObject &patch, SettingsFields &fields,
                                const ReadKey &read);

} // namespace SettingsDocument
