// SPDX-License-Identifier: MIT
#pragma once
// The original backend's per-user Twilio settings (COMPAT_API.md: update-twilio-number,
// request-twilio-otp, verify-twilio-otp, remove-twilio-number) on top of inboxes.
//
// Where things live: the user's senders, account SID and auth token are their personal inboxes
// in their first team (inboxes.owner_user_id = the user; one sms inbox at twilioSmsFrom, or at
// twilioNumber when no SMS sender was ever given, and one whatsapp inbox at twilioWhatsappFrom),
// the token in the SecretStore as for any inbox. The number itself and whether it is verified
// are about the person: user_twilio_numbers (0006). A verified number belongs to one account;
// verification codes are 6 digits, valid 5 minutes, 5 wrong tries, stored as an HMAC under a
// key derived from JWT_SECRET (twilio_otps).
//
// Changing anything resets the verification, as the original did. Setting up personal inboxes
// needs the editor role in the first team (roles are enforced here; the original checked none).

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class Database;
class SecretStore;

// What the compatible user JSON shows. Never the token: only whether one is set.
struct TwilioProfile
{
    QString number; // E.164
    bool verified = false;
    QString accountSid;
    bool authTokenSet = false;
    QString smsFrom;      // E.164
    QString whatsappFrom; // E.164 (the inbox address without its "whatsapp:")
};

// PUT update-twilio-number, already checked for shape (E.164 numbers, AC… SID, 32-hex token).
// Absent: unchanged; an empty value clears the field.
struct TwilioNumberChange
{
    std::optional<QString> number;
    std::optional<QString> accountSid;
    std::optional<QByteArray> authToken;
    std::optional<QString> smsFrom;
    std::optional<QString> whatsappFrom;

    [[nodiscard]] bool isEmpty() const
    {
        return !number && !accountSid && !authToken && !smsFrom && !whatsappFrom;
    }
};

// A code to send by WhatsApp from the user's own account. Holds the secret and the code: never
// logged.
struct OtpDelivery
{
    QString accountSid;
    QByteArray authToken;
    QString from; // whatsapp:+…
    QString to;   // whatsapp:+…
    QString code;
};

class TwilioNumberService : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Reply = std::function<void(Result<T>)>;

    static constexpr int DefaultCodeTtlSeconds = 300;
    static constexpr int MaxAttempts = 5;

    // `secrets` must outlive the service; it is used on the database threads (it is thread-safe).
    TwilioNumberService(Database *db, const SecretStore *secrets, QByteArrayView jwtSecret,
                        int codeTtlSeconds = DefaultCodeTtlSeconds, QObject *parent = nullptr);

    void profile(const QString &userId, Reply<TwilioProfile> done);
    void update(const QString &userId, const TwilioNumberChange &change,
                Reply<TwilioProfile> done);
    void remove(const QString &userId, Reply<TwilioProfile> done);
    // Stores a new code for `number` (replacing a pending one) and hands it over to be sent.
    void requestCode(const QString &userId, const QString &number, Reply<OtpDelivery> done);
    // Checks `code`; on success the number is the user's, verified, and `change` (the modal sends
    // the credentials along) is applied without undoing the verification.
    void verifyCode(const QString &userId, const QString &number, const QString &code,
                    const TwilioNumberChange &change, Reply<TwilioProfile> done);

    // Inputs of the routes, normalised: E.164 from "+1…" or "whatsapp:+1…"; nullopt otherwise.
    [[nodiscard]] static std::optional<QString> phoneNumber(const QString &text);

private:
    Database *m_db;
    const SecretStore *m_secrets;
    QByteArray m_codeKey;
    int m_codeTtlSeconds;
};
