// SPDX-License-Identifier: MIT
#pragma once
// The forward-only state machine of an outbound message (TWILIO.md "Message status callbacks"):
// callbacks arrive out of order and repeated, so a status only ever moves forward, and a
// terminal one (delivered, undelivered, failed, read, canceled) sticks, except that a delivered
// message may still be read.

#include <QString>

namespace DeliveryStatus {

// Twilio's word for a message's state in ours (accepted/scheduled → queued, ...); empty for
// words that say nothing about an outbound message (receiving, received, unknown words).
[[nodiscard]] QString fromTwilio(const QString &twilioStatus);
[[nodiscard]] bool isTerminal(const QString &status);
// Whether a message in `current` may move to `next`.
[[nodiscard]] bool advances(const QString &current, const QString &next);

} // namespace DeliveryStatus
