// SPDX-License-Identifier: MIT
#pragma once
// The user object of the original backend's auth routes (COMPAT_API.md), in the three shapes the
// frontend reads: after sign-up, after login, and from /api/auth/session (also the `user` of the
// Twilio number routes). The Twilio fields come from the user's personal inboxes and number
// (domain/inboxes/twilionumberservice.h).

#include "domain/accounts/accounttypes.h"
#include "domain/inboxes/twilionumberservice.h"

#include <QJsonObject>

enum class UserShape { Signup, Login, Session };

// The original returned its whole user row, password hash and Twilio token included; this keeps
// the fields the frontend reads and never a secret (only twilioCredentialsSet).
[[nodiscard]] QJsonObject compatUser(const User &user, UserShape shape,
                                     const TwilioProfile &twilio = {});
