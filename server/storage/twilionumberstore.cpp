// SPDX-License-Identifier: MIT
#include "twilionumberstore.h"

#include "storage/sqlbinds.h"

using namespace Qt::StringLiterals;

namespace TwilioNumberStore {

Result<std::optional<UserTwilioNumber>> forUser(DbConnection &db, const QString &userId)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"SELECT twilio_number, verified_at FROM user_twilio_numbers WHERE user_id = ?"_s,
        {userId});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<UserTwilioNumber>();
    }
    return std::optional<UserTwilioNumber>(UserTwilioNumber{
        row.value()->text(u"twilio_number"_s), row.value()->time(u"verified_at"_s)});
}

Status save(DbConnection &db, const QString &userId, const UserTwilioNumber &number)
{
    return execStatus(db.exec(
        u"INSERT INTO user_twilio_numbers (user_id, twilio_number, verified_at, updated_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
        "twilio_number = excluded.twilio_number, verified_at = excluded.verified_at, "
        "updated_at = excluded.updated_at"_s,
        {userId, nullableText(number.number), nullableTime(number.verifiedAt), nowIso()}));
}

Status removeForUser(DbConnection &db, const QString &userId)
{
    return execStatus(
        db.exec(u"DELETE FROM user_twilio_numbers WHERE user_id = ?"_s, {userId}));
}

Result<std::optional<QString>> verifiedOwner(DbConnection &db, const QString &number)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"SELECT user_id FROM user_twilio_numbers "
        "WHERE twilio_number = ? AND verified_at IS NOT NULL"_s,
        {number});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<QString>();
    }
    return std::optional<QString>(row.value()->text(u"user_id"_s));
}

Result<std::optional<TwilioOtp>> otp(DbConnection &db, const QString &userId)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"SELECT user_id, twilio_number, salt, code_hash, attempts, expires_at "
        "FROM twilio_otps WHERE user_id = ?"_s,
        {userId});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<TwilioOtp>();
    }
    const SqlRow &r = *row.value();
    return std::optional<TwilioOtp>(TwilioOtp{r.text(u"user_id"_s), r.text(u"twilio_number"_s),
                                              r.text(u"salt"_s), r.text(u"code_hash"_s),
                                              int(r.integer(u"attempts"_s)),
                                              r.time(u"expires_at"_s)});
}

Status saveOtp(DbConnection &db, const TwilioOtp &otp)
{
    return execStatus(db.exec(
        u"INSERT INTO twilio_otps (user_id, twilio_number, salt, code_hash, attempts, "
        "expires_at, created_at) VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
        "twilio_number = excluded.twilio_number, salt = excluded.salt, "
        "code_hash = excluded.code_hash, attempts = 0, expires_at = excluded.expires_at, "
        "created_at = excluded.created_at"_s,
        {otp.userId, otp.number, otp.salt, otp.codeHash, isoUtc(otp.expiresAt), nowIso()}));
}

Result<int> countAttempt(DbConnection &db, const QString &userId)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"UPDATE twilio_otps SET attempts = attempts + 1 WHERE user_id = ? RETURNING attempts"_s,
        {userId});
    if (!row) {
        return row.error();
    }
    return row.value() ? int(row.value()->integer(u"attempts"_s)) : 0;
}

Status removeOtp(DbConnection &db, const QString &userId)
{
    return execStatus(db.exec(u"DELETE FROM twilio_otps WHERE user_id = ?"_s, {userId}));
}

} // namespace TwilioNumberStore
