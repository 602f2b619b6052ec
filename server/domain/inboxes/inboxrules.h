// SPDX-License-Identifier: MIT
#pragma once
// What a valid inbox looks like: channels, addresses and Twilio identifiers. Pure functions, so
// the API layer and the use cases apply the same rules (and the Twilio issue can reuse them).

#include <QString>

#include <optional>

namespace InboxRules {

[[nodiscard]] bool isChannel(const QString &channel); // sms | whatsapp | voice
// "+" then 8 to 15 digits, the first not 0 (ITU-T E.164: country codes never start with 0).
[[nodiscard]] bool isE164(const QString &number);
[[nodiscard]] bool isMessagingServiceSid(const QString &sid); // "MG" + 32 hex digits
[[nodiscard]] bool isAccountSid(const QString &sid);          // "AC" + 32 hex digits
[[nodiscard]] bool isAuthToken(const QString &token);         // 32 hex digits

// The address as stored for `channel`: E.164 for sms and voice; "whatsapp:+<E.164>" for whatsapp
// (a bare E.164 number is accepted there and prefixed, as Twilio names WhatsApp senders so).
// nullopt, with `why` set, when the address does not fit the channel.
[[nodiscard]] std::optional<QString> normaliseAddress(const QString &channel,
                                                      const QString &address, QString *why);

// Where an inbox's credentials live in the SecretStore.
[[nodiscard]] QString credentialsRef(const QString &inboxId);

constexpr int MaxNameLength = 100;
constexpr int MaxAgentNumbers = 20;

} // namespace InboxRules
