// SPDX-License-Identifier: MIT
#pragma once
// Phone numbers to E.164 through libphonenumber, read in a team's default region when they carry
// no country code. Contacts hold plain E.164 numbers, so channel prefixes ("whatsapp:+…"),
// letters (vanity numbers) and extensions are refused rather than guessed at.

#include <QString>

#include <optional>

class PhoneNormalizer
{
public:
    // "+14155552671" for ("(415) 555-2671", "US"); nullopt when `input` is not a valid number.
    [[nodiscard]] static std::optional<QString> toE164(const QString &input,
                                                       const QString &defaultRegion);
    // True for an ISO 3166 alpha-2 code libphonenumber has metadata for ("US", "GB", ...).
    [[nodiscard]] static bool isSupportedRegion(const QString &region);
};
