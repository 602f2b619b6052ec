// SPDX-License-Identifier: MIT
#pragma once
// A team's settings: its name (kept in teams.name) and the document in team_settings:
// defaultRegion (how contacts' phone numbers without a country code are read), signupMode (who
// may join this team by signing up; the server-wide SIGNUP_MODE still decides whether an
// account can be created at all), businessHours and autoReply. Stored documents hold only the
// keys that were set; reads fill in the defaults.

#include "core/result.h"

#include <QJsonObject>

#include <optional>

namespace TeamSettings {

// The document keys (no `name`) with their defaults: defaultRegion "US", signupMode "invite",
// businessHours {timezone "UTC", days mon-fri 09:00-17:00, sat and sun closed}, autoReply
// {enabled false, text "", outsideBusinessHoursOnly true}.
[[nodiscard]] QJsonObject defaults();
// What GET answers: `name` plus the stored document over the defaults.
[[nodiscard]] QJsonObject withDefaults(const QString &name, const QJsonObject &stored);

struct Change
{
    QJsonObject document;        // to store in team_settings
    std::optional<QString> name; // a new team name
};
// `patch` validated and merged into `stored` (see UserSettings::merge for the rules).
[[nodiscard]] Result<Change> merge(const QJsonObject &stored, const QJsonObject &patch);

// An ISO 3166-1 alpha-2 region libphonenumber has metadata for ("US", "DE").
[[nodiscard]] bool isSupportedRegion(const QString &region);

constexpr int MaxNameLength = 100;
constexpr int MaxAutoReplyLength = 1600;

} // namespace TeamSettings
