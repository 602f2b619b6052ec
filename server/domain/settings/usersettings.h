// SPDX-License-Identifier: MIT
#pragma once
// A user's own preferences (user_settings.document): notifications, theme, locale, time zone
// and the density of the conversation list. The stored document holds only the keys the user
// set; reads fill in the defaults, so a default can change for everyone who never chose.

#include "core/result.h"

#include <QJsonObject>

namespace UserSettings {

// {"notifications":{"email":true,"desktop":true,"sound":true},"theme":"system","locale":"en",
//  "timezone":"UTC","conversationListDensity":"comfortable"}
[[nodiscard]] QJsonObject defaults();
// The full document: `stored` over the defaults.
[[nodiscard]] QJsonObject withDefaults(const QJsonObject &stored);
// `patch` validated key by key and merged into `stored`: a given key replaces the stored value
// (objects merge by sub-key), null resets a key to its default, an unknown key or a bad value
// is a 422 naming it. Returns the document to store.
[[nodiscard]] Result<QJsonObject> merge(const QJsonObject &stored, const QJsonObject &patch);

} // namespace UserSettings
