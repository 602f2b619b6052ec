// SPDX-License-Identifier: MIT
#include "twilionumberservice.h"

#include "config/secretstore.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/logging.h"
#include "domain/conversations/teamscope.h"
#include "domain/inboxes/inboxrules.h"
#include "storage/database.h"
#include "storage/eventstore.h"
#include "storage/inboxstore.h"
#include "storage/twilionumberstore.h"

#include <QtEndian>

using namespace Qt::StringLiterals;

namespace {

const QString kSms = u"sms"_s;
const QString kWhatsapp = u"whatsapp"_s;
const QString kWhatsappPrefix = u"whatsapp:"_s;
constexpr QByteArrayView kCodeKeyLabel = "inbox-central twilio otp v1";

ApiError badRequest(const QString &message)
{
    return ApiError::badRequest(message);
}

ApiError belongsToAnother()
{
    return badRequest(u"This number belongs to another account"_s);
}

// The user's personal inboxes: the first sms and the first whatsapp inbox they own in their
// first team. No team: no inboxes (teamId empty).
struct Personal
{
    QString teamId;
    std::optional<Inbox> sms;
    std::optional<Inbox> whatsapp;
};

Result<Personal> personalInboxes(DbConnection &db, const QString &userId, Role minimum,
                                 bool needTeam)
{
    Result<TeamScope> scope = resolveTeam(db, kCallersFirstTeam, userId, minimum);
    if (!scope) {
        if (!needTeam && scope.error().status == 404) {
            return Personal{};
        }
        return scope.error();
    }
    Result<QList<Inbox>> owned = InboxStore::ownedBy(db, scope->teamId, userId);
    if (!owned) {
        return owned.error();
    }
    Personal personal{scope->teamId, {}, {}};
    for (const Inbox &inbox : owned.value()) {
        if (inbox.channel == kSms && !personal.sms) {
            personal.sms = inbox;
        } else if (inbox.channel == kWhatsapp && !personal.whatsapp) {
            personal.whatsapp = inbox;
        }
    }
    return personal;
}

Result<TwilioProfile> profileOf(DbConnection &db, const QString &userId)
{
    TwilioProfile profile;
    Result<std::optional<UserTwilioNumber>> number = TwilioNumberStore::forUser(db, userId);
    if (!number) {
        return number.error();
    }
    if (number.value()) {
        profile.number = number.value()->number;
        profile.verified = number.value()->verifiedAt.isValid() && !profile.number.isEmpty();
    }
    Result<Personal> personal = personalInboxes(db, userId, Role::Viewer, false);
    if (!personal) {
        return personal.error();
    }
    for (const std::optional<Inbox> &inbox : {personal->sms, personal->whatsapp}) {
        if (!inbox) {
            continue;
        }
        if (profile.accountSid.isEmpty()) {
            profile.accountSid = inbox->accountSid;
        }
        profile.authTokenSet = profile.authTokenSet || inbox->credentialsSet();
    }
    if (personal->sms) {
        profile.smsFrom = personal->sms->address;
    }
    if (personal->whatsapp) {
        profile.whatsappFrom = personal->whatsapp->address.mid(kWhatsappPrefix.size());
    }
    return profile;
}

// Secret writes of one change: done as the last step before the commit (so a failed write rolls
// the rows back), undone if the commit fails; removals only after the commit (a failure then
// leaves an orphan file, never a row whose credentials are gone).
struct SecretPlan
{
    QList<std::pair<QString, QByteArray>> puts;
    QStringList removals;
    QList<std::pair<QString, std::optional<QByteArray>>> previous;

    Status write(const SecretStore *secrets)
    {
        for (const auto &[ref, secret] : std::as_const(puts)) {
            Result<std::optional<QByteArray>> old = secrets->get(ref);
            if (!old) {
                return old.error();
            }
            previous.append({ref, old.value()});
            if (Status put = secrets->put(ref, secret); !put) {
                return put;
            }
        }
        return Done{};
    }
    void undo(const SecretStore *secrets) const
    {
        for (const auto &[ref, old] : previous) {
            const Status restored = old ? secrets->put(ref, *old) : secrets->remove(ref);
            if (!restored) {
                qCWarning(lcConfig) << "could not restore the secret" << ref << "after a failed change";
            }
        }
    }
    void removeAfterCommit(const SecretStore *secrets) const
    {
        for (const QString &ref : removals) {
            if (Status removed = secrets->remove(ref); !removed) {
                qCWarning(lcConfig) << "a personal inbox left its secret" << ref << "behind";
            }
        }
    }
};

Status recordEvent(DbConnection &db, const Inbox &inbox, const QString &action)
{
    Result<qint64> event = EventStore::append(
        db, inbox.teamId, u"inbox.updated"_s,
        QJsonObject{{u"inboxId"_s, inbox.id}, {u"action"_s, action}});
    if (!event) {
        return event.error();
    }
    return Done{};
}

ApiError duplicateAddress(const QString &channel, const QString &address)
{
    return badRequest(u"Your team already has another %1 inbox at %2"_s.arg(
        channel == kSms ? u"SMS"_s : u"WhatsApp"_s, address));
}

// Makes the user's personal inbox on `channel` be at `address` with these credentials: created,
// changed, or deleted when `address` is empty. `token`: nullopt keeps what the inbox has, an
// empty one removes it.
Status syncInbox(DbConnection &db, const QString &teamId, const QString &userId,
                 const QString &channel, const std::optional<Inbox> &existing,
                 const QString &address, const QString &accountSid,
                 const std::optional<QByteArray> &token, SecretPlan &plan)
{
    if (address.isEmpty()) {
        if (!existing) {
            return Done{};
        }
        if (Result<bool> removed = InboxStore::remove(db, teamId, existing->id); !removed) {
            return removed.error();
        }
        if (existing->credentialsSet()) {
            plan.removals.append(existing->credentialsRef);
        }
        return recordEvent(db, *existing, u"deleted"_s);
    }
    Inbox inbox;
    if (existing) {
        inbox = *existing;
    } else {
        inbox.id = newId();
        inbox.teamId = teamId;
        inbox.name = channel == kSms ? u"Personal SMS"_s : u"Personal WhatsApp"_s;
        inbox.channel = channel;
        inbox.provider = u"twilio"_s;
        inbox.ownerUserId = userId;
        inbox.createdAt = QDateTime::currentDateTimeUtc();
    }
    inbox.address = address;
    inbox.accountSid = accountSid;
    inbox.updatedAt = QDateTime::currentDateTimeUtc();
    if (token && !token->isEmpty()) {
        if (!inbox.credentialsSet()) {
            inbox.credentialsRef = InboxRules::credentialsRef(inbox.id);
        }
        plan.puts.append({inbox.credentialsRef, *token});
    } else if (token && inbox.credentialsSet()) {
        plan.removals.append(inbox.credentialsRef);
        inbox.credentialsRef.clear();
    }
    const Status saved = existing ? InboxStore::update(db, inbox) : InboxStore::insert(db, inbox);
    if (!saved) {
        return isUniqueViolation(saved.error()) ? duplicateAddress(channel, address) : saved;
    }
    return recordEvent(db, inbox, existing ? u"updated"_s : u"created"_s);
}

// Applies `change` to the user's number row and personal inboxes. `verifiedAt` is what the row
// gets: invalid resets the verification.
Status applyChange(DbConnection &db, const SecretStore *secrets, const QString &userId,
                   const TwilioNumberChange &change, const QDateTime &verifiedAt,
                   SecretPlan &plan)
{
    Result<Personal> personal = personalInboxes(db, userId, Role::Editor, true);
    if (!personal) {
        return personal.error();
    }
    Result<std::optional<UserTwilioNumber>> current = TwilioNumberStore::forUser(db, userId);
    if (!current) {
        return current.error();
    }
    const QString oldNumber = current.value() ? current.value()->number : QString();
    const QString number = change.number.value_or(oldNumber);
    if (!number.isEmpty()) {
        Result<std::optional<QString>> owner = TwilioNumberStore::verifiedOwner(db, number);
        if (!owner) {
            return owner.error();
        }
        if (owner.value() && *owner.value() != userId) {
            return belongsToAnother();
        }
    }

    const std::optional<Inbox> &sms = personal->sms;
    const std::optional<Inbox> &whatsapp = personal->whatsapp;
    QString accountSid = sms ? sms->accountSid : whatsapp ? whatsapp->accountSid : QString();
    accountSid = change.accountSid.value_or(accountSid);

    // The token each inbox ends up with: the new one, else the one the other inbox has (an inbox
    // created now takes it over), else none.
    std::optional<QByteArray> token = change.authToken;
    if (!token) {
        for (const std::optional<Inbox> &inbox : {sms, whatsapp}) {
            if (inbox && inbox->credentialsSet()) {
                Result<std::optional<QByteArray>> stored = secrets->get(inbox->credentialsRef);
                if (!stored) {
                    return stored.error();
                }
                if (stored.value() && !stored.value()->isEmpty()) {
                    token = *stored.value();
                    break;
                }
            }
        }
    }

    // The SMS sender: as given; else where it is; else the number itself. An SMS inbox that sat
    // at the old number moves with the number.
    QString smsAddress = sms ? sms->address : QString();
    if (change.smsFrom) {
        smsAddress = *change.smsFrom;
    } else if (change.number && (smsAddress.isEmpty() || smsAddress == oldNumber)) {
        smsAddress = number;
    }
    QString whatsappAddress = whatsapp ? whatsapp->address : QString();
    if (change.whatsappFrom) {
        whatsappAddress = change.whatsappFrom->isEmpty() ? QString()
                                                         : kWhatsappPrefix + *change.whatsappFrom;
    }

    if (Status synced = syncInbox(db, personal->teamId, userId, kSms, sms, smsAddress, accountSid,
                                  token, plan);
        !synced) {
        return synced;
    }
    if (Status synced = syncInbox(db, personal->teamId, userId, kWhatsapp, whatsapp,
                                  whatsappAddress, accountSid, token, plan);
        !synced) {
        return synced;
    }
    if (Status saved = TwilioNumberStore::save(db, userId, {number, verifiedAt}); !saved) {
        return isUniqueViolation(saved.error()) ? belongsToAnother() : saved;
    }
    return Done{};
}

// 6 digits, uniform: 4 random bytes, redrawn above the largest multiple of 10^6.
QString newCode()
{
    constexpr quint32 limit = 4294000000u;
    for (;;) {
        const QByteArray bytes = Crypto::randomBytes(4);
        const quint32 value = qFromBigEndian<quint32>(bytes.constData());
        if (value < limit) {
            return u"%1"_s.arg(value % 1000000u, 6, 10, QLatin1Char('0'));
        }
    }
}

QString codeHash(const QByteArray &key, const QString &salt, const QString &userId,
                 const QString &number, const QString &code)
{
    const QByteArray message = (salt + u'\n' + userId + u'\n' + number + u'\n' + code).toUtf8();
    return QString::fromLatin1(Crypto::hmacSha256(key, message).toHex());
}

enum class Verdict { Verified, NoCode, Expired, TooMany, Wrong, OtherAccount };

struct Verification
{
    Verdict verdict = Verdict::NoCode;
    TwilioProfile profile;
};

ApiError verdictError(Verdict verdict)
{
    switch (verdict) {
    case Verdict::NoCode:
        return badRequest(u"No code was requested for this number; request a new one"_s);
    case Verdict::Expired:
        return badRequest(u"The code has expired; request a new one"_s);
    case Verdict::TooMany:
        return badRequest(u"Too many wrong codes; request a new one"_s);
    case Verdict::Wrong:
        return badRequest(u"Invalid code"_s);
    case Verdict::OtherAccount:
        return belongsToAnother();
    case Verdict::Verified:
        break;
    }
    return ApiError::internal();
}

} // namespace

TwilioNumberService::TwilioNumberService(Database *db, const SecretStore *secrets,
                                         QByteArrayView jwtSecret, int codeTtlSeconds,
                                         QObject *parent)
    : QObject(parent),
      m_db(db),
      m_secrets(secrets),
      m_codeKey(Crypto::hmacSha256(jwtSecret, kCodeKeyLabel)),
      m_codeTtlSeconds(codeTtlSeconds)
{
}

std::optional<QString> TwilioNumberService::phoneNumber(const QString &text)
{
    QString number = text.trimmed();
    if (number.startsWith(kWhatsappPrefix)) {
        number = number.mid(kWhatsappPrefix.size());
    }
    if (!InboxRules::isE164(number)) {
        return std::nullopt;
    }
    return number;
}

void TwilioNumberService::profile(const QString &userId, Reply<TwilioProfile> done)
{
    m_db->run<TwilioProfile>(
        DbAccess::Read,
        [userId](DbConnection &db) -> Result<TwilioProfile> { return profileOf(db, userId); },
        this, done);
}

void TwilioNumberService::update(const QString &userId, const TwilioNumberChange &change,
                                 Reply<TwilioProfile> done)
{
    const SecretStore *secrets = m_secrets;
    m_db->run<TwilioProfile>(
        DbAccess::Write,
        [userId, change, secrets](DbConnection &db) -> Result<TwilioProfile> {
            SecretPlan plan;
            Result<TwilioProfile> updated = runInTransaction<TwilioProfile>(db, [&]() -> Result<TwilioProfile> {
                if (Status applied = applyChange(db, secrets, userId, change, QDateTime(), plan);
                    !applied) {
                    return applied.error();
                }
                if (Status removed = TwilioNumberStore::removeOtp(db, userId); !removed) {
                    return removed.error();
                }
                Result<TwilioProfile> profile = profileOf(db, userId);
                if (!profile) {
                    return profile;
                }
                if (Status written = plan.write(secrets); !written) {
                    return written.error();
                }
                return profile;
            });
            if (!updated) {
                plan.undo(secrets);
                return updated;
            }
            plan.removeAfterCommit(secrets);
            return updated;
        },
        this, done);
}

void TwilioNumberService::remove(const QString &userId, Reply<TwilioProfile> done)
{
    const SecretStore *secrets = m_secrets;
    m_db->run<TwilioProfile>(
        DbAccess::Write,
        [userId, secrets](DbConnection &db) -> Result<TwilioProfile> {
            SecretPlan plan;
            Result<TwilioProfile> removed = runInTransaction<TwilioProfile>(db, [&]() -> Result<TwilioProfile> {
                Result<Personal> personal = personalInboxes(db, userId, Role::Viewer, false);
                if (!personal) {
                    return personal.error();
                }
                for (const std::optional<Inbox> &inbox : {personal->sms, personal->whatsapp}) {
                    if (!inbox) {
                        continue;
                    }
                    if (Status gone = syncInbox(db, personal->teamId, userId, inbox->channel,
                                                inbox, QString(), QString(), std::nullopt, plan);
                        !gone) {
                        return gone.error();
                    }
                }
                if (Status gone = TwilioNumberStore::removeForUser(db, userId); !gone) {
                    return gone.error();
                }
                if (Status gone = TwilioNumberStore::removeOtp(db, userId); !gone) {
                    return gone.error();
                }
                return profileOf(db, userId);
            });
            if (removed) {
                plan.removeAfterCommit(secrets);
            }
            return removed;
        },
        this, done);
}

void TwilioNumberService::requestCode(const QString &userId, const QString &number,
                                      Reply<OtpDelivery> done)
{
    const SecretStore *secrets = m_secrets;
    const QByteArray key = m_codeKey;
    const int ttl = m_codeTtlSeconds;
    m_db->run<OtpDelivery>(
        DbAccess::Write,
        [userId, number, secrets, key, ttl](DbConnection &db) -> Result<OtpDelivery> {
            return runInTransaction<OtpDelivery>(db, [&]() -> Result<OtpDelivery> {
                Result<std::optional<QString>> owner = TwilioNumberStore::verifiedOwner(db, number);
                if (!owner) {
                    return owner.error();
                }
                if (owner.value() && *owner.value() != userId) {
                    return belongsToAnother();
                }
                Result<Personal> personal = personalInboxes(db, userId, Role::Viewer, false);
                if (!personal) {
                    return personal.error();
                }
                const ApiError notSetUp = badRequest(
                    u"Set twilioWhatsappFrom, twilioAccountSid and twilioAuthToken before "
                    "requesting a code"_s);
                const std::optional<Inbox> &whatsapp = personal->whatsapp;
                if (!whatsapp || whatsapp->accountSid.isEmpty() || !whatsapp->credentialsSet()) {
                    return notSetUp;
                }
                Result<std::optional<QByteArray>> token = secrets->get(whatsapp->credentialsRef);
                if (!token) {
                    return token.error();
                }
                if (!token.value() || token.value()->isEmpty()) {
                    return notSetUp;
                }
                TwilioOtp otp;
                otp.userId = userId;
                otp.number = number;
                otp.salt = QString::fromLatin1(Crypto::randomBytes(16).toHex());
                const QString code = newCode();
                otp.codeHash = codeHash(key, otp.salt, userId, number, code);
                otp.expiresAt = QDateTime::currentDateTimeUtc().addSecs(ttl);
                if (Status saved = TwilioNumberStore::saveOtp(db, otp); !saved) {
                    return saved.error();
                }
                return OtpDelivery{whatsapp->accountSid, *token.value(), whatsapp->address,
                                   kWhatsappPrefix + number, code};
            });
        },
        this, done);
}

void TwilioNumberService::verifyCode(const QString &userId, const QString &number,
                                     const QString &code, const TwilioNumberChange &change,
                                     Reply<TwilioProfile> done)
{
    const SecretStore *secrets = m_secrets;
    const QByteArray key = m_codeKey;
    m_db->run<Verification>(
        DbAccess::Write,
        [userId, number, code, change, secrets, key](DbConnection &db) -> Result<Verification> {
            SecretPlan plan;
            // A wrong guess must count even though the answer is an error: the verdict is a
            // value, committed; only real failures roll back.
            Result<Verification> checked = runInTransaction<Verification>(db, [&]() -> Result<Verification> {
                Result<std::optional<TwilioOtp>> otp = TwilioNumberStore::otp(db, userId);
                if (!otp) {
                    return otp.error();
                }
                if (!otp.value() || otp.value()->number != number) {
                    return Verification{Verdict::NoCode, {}};
                }
                if (QDateTime::currentDateTimeUtc() >= otp.value()->expiresAt) {
                    if (Status gone = TwilioNumberStore::removeOtp(db, userId); !gone) {
                        return gone.error();
                    }
                    return Verification{Verdict::Expired, {}};
                }
                if (otp.value()->attempts >= MaxAttempts) {
                    return Verification{Verdict::TooMany, {}};
                }
                const QString expected = codeHash(key, otp.value()->salt, userId, number, code.trimmed());
                if (!Crypto::constantTimeEquals(expected.toLatin1(), otp.value()->codeHash.toLatin1())) {
                    Result<int> attempts = TwilioNumberStore::countAttempt(db, userId);
                    if (!attempts) {
                        return attempts.error();
                    }
                    return Verification{attempts.value() >= MaxAttempts ? Verdict::TooMany
                                                                        : Verdict::Wrong,
                                        {}};
                }
                Result<std::optional<QString>> owner = TwilioNumberStore::verifiedOwner(db, number);
                if (!owner) {
                    return owner.error();
                }
                if (owner.value() && *owner.value() != userId) {
                    if (Status gone = TwilioNumberStore::removeOtp(db, userId); !gone) {
                        return gone.error();
                    }
                    return Verification{Verdict::OtherAccount, {}};
                }
                const QDateTime now = QDateTime::currentDateTimeUtc();
                if (change.isEmpty()) {
                    if (Status saved = TwilioNumberStore::save(db, userId, {number, now}); !saved) {
                        return isUniqueViolation(saved.error()) ? belongsToAnother()
                                                                : saved.error();
                    }
                } else {
                    TwilioNumberChange applied = change;
                    applied.number = number;
                    if (Status saved = applyChange(db, secrets, userId, applied, now, plan);
                        !saved) {
                        return saved.error();
                    }
                }
                if (Status gone = TwilioNumberStore::removeOtp(db, userId); !gone) {
                    return gone.error();
                }
                Result<TwilioProfile> profile = profileOf(db, userId);
                if (!profile) {
                    return profile.error();
                }
                if (Status written = plan.write(secrets); !written) {
                    return written.error();
                }
                return Verification{Verdict::Verified, profile.value()};
            });
            if (!checked) {
                plan.undo(secrets);
                return checked;
            }
            plan.removeAfterCommit(secrets);
            return checked;
        },
        this, [done](Result<Verification> checked) {
            if (!checked) {
                return done(checked.error());
            }
            if (checked->verdict != Verdict::Verified) {
                return done(verdictError(checked->verdict));
            }
            done(checked->profile);
        });
}
