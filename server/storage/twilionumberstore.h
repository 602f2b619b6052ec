// SPDX-License-Identifier: MIT
#pragma once
// SQL for the per-user Twilio number of the original backend and its verification codes
// (user_twilio_numbers and twilio_otps, 0006_twilio_numbers.sql). Runs on a database thread;
// callers own the transaction.

#include "core/result.h"
#include "storage/dbconnection.h"

#include <QDateTime>
#include <QString>

#include <optional>

struct UserTwilioNumber
{
    QString number;       // E.164; empty when none
    QDateTime verifiedAt; // invalid until verified
};

// A pending verification code: never the code, only its HMAC.
struct TwilioOtp
{
    QString userId;
    QString number;
    QString salt;
    QString codeHash;
    int attempts = 0;
    QDateTime expiresAt;
};

namespace TwilioNumberStore {

[[nodiscard]] Result<std::optional<UserTwilioNumber>> forUser(DbConnection &db,
                                                              const QString &userId);
// Creates or replaces the user's row. A verified number another user holds verified is a unique
// violation (isUniqueViolation).
[[nodiscard]] Status save(DbConnection &db, const QString &userId, const UserTwilioNumber &number);
[[nodiscard]] Status removeForUser(DbConnection &db, const QString &userId);
// Who has `number` verified, if anyone.
[[nodiscard]] Result<std::optional<QString>> verifiedOwner(DbConnection &db,
                                                           const QString &number);

[[nodiscard]] Result<std::optional<TwilioOtp>> otp(DbConnection &db, const QString &userId);
// Replaces the user's pending code.
[[nodiscard]] Status saveOtp(DbConnection &db, const TwilioOtp &otp);
// One more wrong guess; returns the count after it.
[[nodiscard]] Result<int> countAttempt(DbConnection &db, const QString &userId);
[[nodiscard]] Status removeOtp(DbConnection &db, const QString &userId);

} // namespace TwilioNumberStore
