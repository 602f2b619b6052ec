// SPDX-License-Identifier: MIT
#pragma once
// The /api/v1 JSON shapes of accounts (camelCase, ISO-8601 UTC). Never a hash or a secret.

#include "core/jsonvalues.h"
#include "domain/accounts/accounttypes.h"

#include <QJsonObject>

[[nodiscard]] QJsonObject userJson(const User &user);
[[nodiscard]] QJsonObject sessionJson(const Session &session);
[[nodiscard]] QJsonObject memberJson(const Member &member);
[[nodiscard]] QJsonObject invitationJson(const Invitation &invitation);
