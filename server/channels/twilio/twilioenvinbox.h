// SPDX-License-Identifier: MIT
#pragma once
// The original backend's configuration: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_SMS_FROM
// and TWILIO_WHATSAPP_FROM in the environment. Here they describe the first team's default
// inboxes (one per sender), created when missing and their token kept in step with the
// environment, so an install configured the old way receives and sends without further set-up.

#include "core/result.h"
#include "storage/dbconnection.h"

struct Config;
class SecretStore;

namespace TwilioEnvInbox {

// True when the environment names an account, a token and at least one sender.
[[nodiscard]] bool configured(const Config &config);
// Creates or refreshes the inboxes in the caller's transaction; nothing happens while no team
// exists yet (the next webhook or restart tries again).
[[nodiscard]] Status ensure(DbConnection &db, const Config &config, const SecretStore &secrets);

} // namespace TwilioEnvInbox
