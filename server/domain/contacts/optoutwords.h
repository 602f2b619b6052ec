// SPDX-License-Identifier: MIT
#pragma once
// What an inbound message says about consent (TWILIO.md "Opt-out"): the carrier keywords matched
// on the whole message in any case ("Stop" counts, "Stop please" does not), with Twilio's
// OptOutType parameter taken as a hint where it comes.

#include <QString>

enum class ConsentWord { None, OptOut, OptIn, Help };

namespace OptOutWords {

[[nodiscard]] ConsentWord classify(const QString &body, const QString &optOutType = {});

} // namespace OptOutWords
