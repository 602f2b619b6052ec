// SPDX-License-Identifier: MIT
#pragma once
// What the server accepts as an email address (accounts, invitations, contacts).

#include <QString>

[[nodiscard]] bool isValidEmail(const QString &email);
