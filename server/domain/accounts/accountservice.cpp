// SPDX-License-Identifier: MIT
#include "accountservice.h"

#include "auth/passwordhasher.h"
#include "core/async.h"
#include "core/ids.h"
#include "core/logging.h"
#include "domain/teamaccess.h"
#include "storage/accountstore.h"
#include "storage/database.h"
#include "storage/eventstore.h"

#include <QDateTime>
#include <QJsonObject>
#include <QThreadPool>

#include <mutex>

using namespace Qt::StringLiterals;

namespace {

const ApiError &invalidCredentials()
{
    static const ApiError error{401, u"invalid-credentials"_s, u"Invalid credentials"_s,
                                u"Invalid credentials"_s, {}, 0};
    return error;
}

ApiError invalidRefreshToken(const QString &detail)
{
    return ApiError{401, u"invalid-refresh-token"_s, u"Invalid refresh token"_s, detail, {}, 0};
}

// A hash to verify against when the account does not exist, so both cases take the same time.
QByteArray dummyHash(int cost)
{
    static std::once_flag once;
    static QByteArray hash;
    std::call_once(once, [cost] {
        Result<QByteArray> made = PasswordHasher::hash("not-a-real-password", cost);
        hash = made ? made.value() : QByteArray();
    });
    return hash;
}

Status issueRefreshToken(DbConnection &db, const QString &userId, const QString &familyId,
                         const QString &token, int ttlSeconds, const AccountService::Client &client,
                         const QString &tokenId)
{
    return AccountStore::insertRefreshToken(
        db, tokenId, userId, familyId, TokenService::hashRefreshToken(token),
        QDateTime::currentDateTimeUtc().addSecs(ttlSeconds), client.userAgent, client.ip);
}

QString personalTeamName(const QString &name, const QString &email)
{
    return (name.isEmpty() ? email : name) + u"'s Team"_s;
}

// Where a new account lands, by the sign-up mode: the first user founds the default team; then
// "open" gives each newcomer a team of their own, "invite" needs a pending invitation (accepted
// here), "closed" refuses. Shared by password sign-up and Google sign-in.
struct NewUserPlacement
{
    QString teamId;
    Role role = Role::Admin;
};

Result<NewUserPlacement> placeNewUser(DbConnection &db, const AccountPolicy &policy,
                                      const QString &email, const QString &name)
{
    Result<qint64> users = AccountStore::countUsers(db);
    if (!users) {
        return users.error();
    }
    // The first user founds the default team as its admin, whatever the sign-up mode.
    if (users.value() == 0) {
        Result<std::optional<QString>> team = AccountStore::teamIdByName(db, policy.defaultTeamName);
        if (!team) {
            return team.error();
        }
        if (team.value()) {
            return NewUserPlacement{*team.value(), Role::Admin};
        }
        Result<QString> created = AccountStore::insertTeam(db, policy.defaultTeamName);
        if (!created) {
            return created.error();
        }
        return NewUserPlacement{created.value(), Role::Admin};
    }
    if (policy.signupMode == SignupMode::Open) {
        Result<QString> created = AccountStore::insertTeam(db, personalTeamName(name, email));
        if (!created) {
            return created.error();
        }
        return NewUserPlacement{created.value(), Role::Admin};
    }
    if (policy.signupMode == SignupMode::Invite) {
        Result<std::optional<Invitation>> invitation =
            AccountStore::pendingInvitationFor(db, email, nowIso());
        if (!invitation) {
            return invitation.error();
        }
        if (!invitation.value()) {
            return ApiError{403, u"signup-invite-only"_s, u"Sign-up is by invitation"_s,
                            u"Sign-up is by invitation only: ask a team admin to invite this "
                            "email address."_s,
                            {}, 0};
        }
        if (Status accepted = AccountStore::markInvitationAccepted(db, invitation.value()->id, nowIso());
            !accepted) {
            return accepted.error();
        }
        return NewUserPlacement{invitation.value()->teamId, invitation.value()->role};
    }
    return ApiError{403, u"signup-closed"_s, u"Sign-up is closed"_s,
                    u"Sign-up is closed on this server: an admin creates accounts."_s, {}, 0};
}

Status createUser(DbConnection &db, const User &user, const NewUserPlacement &placement)
{
    if (Status inserted = AccountStore::insertUser(db, user); !inserted) {
        if (isUniqueViolation(inserted.error())) {
            return ApiError::conflict(u"An account with this email already exists."_s);
        }
        return inserted.error();
    }
    if (Status member = AccountStore::insertMember(db, placement.teamId, user.id, placement.role);
        !member) {
        return member.error();
    }
    if (auto event = EventStore::append(db, placement.teamId, u"member.added"_s,
                                        {{u"userId"_s, user.id}, {u"role"_s, roleName(placement.role)}});
        !event) {
        return event.error();
    }
    return Done{};
}

Result<Session> openSession(DbConnection &db, const TokenService *tokens, const QString &userId,
                            const AccountService::Client &client, bool created)
{
    Result<std::optional<User>> stored = AccountStore::userById(db, userId);
    if (!stored) {
        return stored.error();
    }
    if (!stored.value()) {
        return ApiError::unauthorized();
    }
    Session session;
    session.user = std::move(*stored.value());
    session.refreshToken = TokenService::newRefreshToken();
    const QString tokenId = newId();
    if (Status issued = issueRefreshToken(db, userId, tokenId, session.refreshToken,
                                          tokens->refreshTtl(), client, tokenId);
        !issued) {
        return issued.error();
    }
    session.accessToken = tokens->issueAccessToken(session.user.id, session.user.email);
    session.accessTokenTtl = tokens->accessTtl();
    session.created = created;
    return session;
}

} // namespace

AccountService::AccountService(Database *db, const TokenService *tokens, QThreadPool *cpu,
                               AccountPolicy policy, LoginThrottle *throttle, QObject *parent)
    : QObject(parent), m_db(db), m_tokens(tokens), m_cpu(cpu), m_policy(std::move(policy)),
      m_throttle(throttle)
{
}

void AccountService::signUp(const QString &email, const QString &password, const QString &name,
                            const Client &client, Reply<Session> done)
{
    const int cost = m_policy.bcryptCost;
    const QByteArray passwordBytes = password.toUtf8();
    runOnPool<Result<QByteArray>>(
        m_cpu, this, [passwordBytes, cost] { return PasswordHasher::hash(passwordBytes, cost); },
        [this, email, name, client, done](Result<QByteArray> hash) {
            if (!hash) {
                return done(hash.error());
            }
            const AccountPolicy policy = m_policy;
            const TokenService *tokens = m_tokens;
            m_db->run<Session>(
                DbAccess::Write,
                [=, hash = hash.value()](DbConnection &db) -> Result<Session> {
                    return runInTransaction<Session>(db, [&]() -> Result<Session> {
                        // Serialise sign-ups so two first users cannot both become admin.
                        if (Status locked = db.lockKey(u"signup"_s); !locked) {
                            return locked.error();
                        }
                        Result<std::optional<User>> existing = AccountStore::userByEmail(db, email);
                        if (!existing) {
                            return existing.error();
                        }
                        if (existing.value()) {
                            return ApiError{409, u"user-exists"_s, u"User already exists"_s,
                                            u"An account with this email already exists."_s,
                                            {{u"email"_s, u"is already registered"_s}}, 0};
                        }
                        Result<NewUserPlacement> placement = placeNewUser(db, policy, email, name);
                        if (!placement) {
                            return placement.error();
                        }
                        User user;
                        user.id = newId();
                        user.email = email.toLower();
                        user.name = name;
                        user.passwordHash = hash;
                        if (Status created = createUser(db, user, placement.value()); !created) {
                            return created.error();
                        }
                        return openSession(db, tokens, user.id, client, true);
                    });
                },
                this, done);
        });
}

void AccountService::login(const QString &email, const QString &password, const Client &client,
                           Reply<Session> done)
{
    const QString account = email.toLower();
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (const int wait = m_throttle->retryAfter(account, client.ip, nowMs); wait > 0) {
        qCInfo(lcAuth).noquote() << "login throttled for a client at" << client.ip;
        return done(ApiError::tooManyRequests(wait));
    }
    m_db->run<std::optional<User>>(
        DbAccess::Read,
        [account](DbConnection &db) { return AccountStore::userByEmail(db, account); }, this,
        [this, account, password, client, done](Result<std::optional<User>> found) {
            if (!found) {
                return done(found.error());
            }
            const std::optional<User> user = found.value();
            const QByteArray stored = user && !user->passwordHash.isEmpty() ? user->passwordHash
                                                                             : QByteArray();
            const int cost = m_policy.bcryptCost;
            const QByteArray passwordBytes = password.toUtf8();
            runOnPool<bool>(
                m_cpu, this,
                [stored, passwordBytes, cost] {
                    if (stored.isEmpty()) {
                        // Same work as a real check, so timing does not reveal the account.
                        (void)PasswordHasher::verify(passwordBytes, dummyHash(cost));
                        return false;
                    }
                    return PasswordHasher::verify(passwordBytes, stored);
                },
                [this, user, account, client, done](bool ok) {
                    if (!ok || !user) {
                        m_throttle->recordFailure(account, client.ip,
                                                  QDateTime::currentMSecsSinceEpoch());
                        return done(invalidCredentials());
                    }
                    if (user->disabled) {
                        return done(ApiError::forbidden(u"This account is disabled."_s));
                    }
                    m_throttle->recordSuccess(account);
                    const TokenService *tokens = m_tokens;
                    const User signedIn = *user;
                    m_db->run<Session>(
                        DbAccess::Write,
                        [tokens, signedIn, client](DbConnection &db) -> Result<Session> {
                            return runInTransaction<Session>(db, [&]() -> Result<Session> {
                                Session session;
                                session.user = signedIn;
                                session.refreshToken = TokenService::newRefreshToken();
                                const QString tokenId = newId();
                                if (Status issued = issueRefreshToken(
                                        db, signedIn.id, tokenId, session.refreshToken,
                                        tokens->refreshTtl(), client, tokenId);
                                    !issued) {
                                    return issued.error();
                                }
                                session.accessToken =
                                    tokens->issueAccessToken(signedIn.id, signedIn.email);
                                session.accessTokenTtl = tokens->accessTtl();
                                return session;
                            });
                        },
                        this, done);
                });
        });
}

void AccountService::refresh(const QString &refreshToken, const Client &client,
                             Reply<Session> done)
{
    const TokenService *tokens = m_tokens;
    // The reuse case must commit its revocation even though the answer is an error, so the
    // transaction result carries both.
    struct Outcome
    {
        std::optional<Session> session;
        std::optional<ApiError> error;
    };
    m_db->run<Outcome>(
        DbAccess::Write,
        [tokens, refreshToken, client](DbConnection &db) -> Result<Outcome> {
            return runInTransaction<Outcome>(db, [&]() -> Result<Outcome> {
                Result<std::optional<AccountStore::RefreshTokenRow>> row =
                    AccountStore::refreshTokenByHash(db, TokenService::hashRefreshToken(refreshToken));
                if (!row) {
                    return row.error();
                }
                if (!row.value()) {
                    return Outcome{std::nullopt, invalidRefreshToken(u"Unknown refresh token."_s)};
                }
                const AccountStore::RefreshTokenRow &token = *row.value();
                if (token.revoked) {
                    return Outcome{std::nullopt,
                                   invalidRefreshToken(u"This refresh token was revoked."_s)};
                }
                const auto reuse = [&]() -> Result<Outcome> {
                    qCWarning(lcAuth).noquote()
                        << "refresh token reuse detected; revoking family of user" << token.userId;
                    if (Status revoked = AccountStore::revokeRefreshFamily(db, token.familyId);
                        !revoked) {
                        return revoked.error();
                    }
                    return Outcome{std::nullopt,
                                   invalidRefreshToken(u"Refresh token reuse detected: every "
                                                       "session of this sign-in was revoked."_s)};
                };
                if (token.rotated) {
                    return reuse();
                }
                if (token.expiresAt <= QDateTime::currentDateTimeUtc()) {
                    return Outcome{std::nullopt, invalidRefreshToken(u"Refresh token expired."_s)};
                }
                Result<std::optional<User>> user = AccountStore::userById(db, token.userId);
                if (!user) {
                    return user.error();
                }
                if (!user.value() || user.value()->disabled) {
                    return Outcome{std::nullopt,
                                   invalidRefreshToken(u"The account is not active."_s)};
                }
                Session session;
                session.user = *user.value();
                session.refreshToken = TokenService::newRefreshToken();
                // The successor first: replaced_by references it.
                const QString newTokenId = newId();
                if (Status issued = issueRefreshToken(db, token.userId, token.familyId,
                                                      session.refreshToken, tokens->refreshTtl(),
                                                      client, newTokenId);
                    !issued) {
                    return issued.error();
                }
                Result<qint64> rotated = AccountStore::markRefreshTokenRotated(db, token.id, newTokenId);
                if (!rotated) {
                    return rotated.error();
                }
                if (rotated.value() != 1) {
                    return reuse(); // another request rotated it first (revokes the successor too)
                }
                session.accessToken = tokens->issueAccessToken(session.user.id, session.user.email);
                session.accessTokenTtl = tokens->accessTtl();
                return Outcome{std::move(session), std::nullopt};
            });
        },
        this,
        [done](Result<Outcome> outcome) {
            if (!outcome) {
                return done(outcome.error());
            }
            if (outcome->error) {
                return done(*outcome->error);
            }
            done(std::move(*outcome->session));
        });
}

void AccountService::logout(const QString &refreshToken, Reply<Done> done)
{
    m_db->run<Done>(
        DbAccess::Write,
        [refreshToken](DbConnection &db) -> Status {
            return runInTransaction<Done>(db, [&]() -> Status {
                Result<std::optional<AccountStore::RefreshTokenRow>> row =
                    AccountStore::refreshTokenByHash(db, TokenService::hashRefreshToken(refreshToken));
                if (!row) {
                    return row.error();
                }
                if (row.value()) {
                    return AccountStore::revokeRefreshFamily(db, row.value()->familyId);
                }
                return Done{}; // logging out twice is not an error
            });
        },
        this, done);
}

void AccountService::signInWithGoogle(const GoogleIdentity &identity, const Client &client,
                                      Reply<Session> done)
{
    const AccountPolicy policy = m_policy;
    const TokenService *tokens = m_tokens;
    m_db->run<Session>(
        DbAccess::Write,
        [identity, client, policy, tokens](DbConnection &db) -> Result<Session> {
            return runInTransaction<Session>(db, [&]() -> Result<Session> {
                // The same lock as sign-up: two first sign-ins cannot both create the account.
                if (Status locked = db.lockKey(u"signup"_s); !locked) {
                    return locked.error();
                }
                const auto disabled = [] {
                    return ApiError{403, u"account-disabled"_s, u"Account disabled"_s,
                                    u"This account is disabled."_s, {}, 0};
                };
                Result<std::optional<User>> bySub = AccountStore::userByGoogleSub(db, identity.subject);
                if (!bySub) {
                    return bySub.error();
                }
                if (bySub.value()) {
                    if (bySub.value()->disabled) {
                        return disabled();
                    }
                    return openSession(db, tokens, bySub.value()->id, client, false);
                }
                // Google verified the address (the token was checked for email_verified), so
                // an account with it is this person's, as the original linked them.
                Result<std::optional<User>> byEmail = AccountStore::userByEmail(db, identity.email);
                if (!byEmail) {
                    return byEmail.error();
                }
                if (byEmail.value()) {
                    const User &user = *byEmail.value();
                    if (user.disabled) {
                        return disabled();
                    }
                    if (!user.googleSub.isEmpty()) {
                        return ApiError{409, u"google-account-conflict"_s,
                                        u"Linked to another Google account"_s,
                                        u"This email's account is linked to a different Google "
                                        "account."_s,
                                        {}, 0};
                    }
                    if (Status linked = AccountStore::setGoogleSub(db, user.id, identity.subject);
                        !linked) {
                        return linked.error();
                    }
                    if (user.avatarUrl.isEmpty() && !identity.picture.isEmpty()) {
                        if (Status pictured = AccountStore::updateProfile(
                                db, user.id, user.name.isEmpty() ? identity.name : user.name,
                                identity.picture);
                            !pictured) {
                            return pictured.error();
                        }
                    }
                    qCInfo(lcAuth).noquote() << "linked a Google account to user" << user.id;
                    return openSession(db, tokens, user.id, client, false);
                }
                Result<NewUserPlacement> placement =
                    placeNewUser(db, policy, identity.email, identity.name);
                if (!placement) {
                    return placement.error();
                }
                User user;
                user.id = newId();
                user.email = identity.email;
                user.name = identity.name;
                user.avatarUrl = identity.picture;
                user.googleSub = identity.subject;
                if (Status created = createUser(db, user, placement.value()); !created) {
                    return created.error();
                }
                return openSession(db, tokens, user.id, client, true);
            });
        },
        this, done);
}

void AccountService::unlinkGoogle(const QString &userId, Reply<User> done)
{
    m_db->run<User>(
        DbAccess::Write,
        [userId](DbConnection &db) -> Result<User> {
            return runInTransaction<User>(db, [&]() -> Result<User> {
                Result<std::optional<User>> user = AccountStore::userById(db, userId);
                if (!user) {
                    return user.error();
                }
                if (!user.value() || user.value()->disabled) {
                    return ApiError::unauthorized(u"The account no longer exists or is disabled."_s);
                }
                if (user.value()->googleSub.isEmpty()) {
                    return std::move(*user.value()); // nothing to unlink: already the outcome
                }
                if (user.value()->passwordHash.isEmpty()) {
                    return ApiError{409, u"google-unlink-needs-password"_s,
                                    u"Set a password first"_s,
                                    u"This account signs in with Google only: set a password "
                                    "(PATCH /api/v1/auth/me) before unlinking Google."_s,
                                    {}, 0};
                }
                if (Status unlinked = AccountStore::setGoogleSub(db, userId, QString()); !unlinked) {
                    return unlinked.error();
                }
                Result<std::optional<User>> reloaded = AccountStore::userById(db, userId);
                if (!reloaded) {
                    return reloaded.error();
                }
                return std::move(*reloaded.value());
            });
        },
        this, done);
}

void AccountService::me(const QString &userId, bool ensureTeam, Reply<User> done)
{
    m_db->run<User>(
        ensureTeam ? DbAccess::Write : DbAccess::Read,
        [userId, ensureTeam](DbConnection &db) -> Result<User> {
            Result<std::optional<User>> user = AccountStore::userById(db, userId);
            if (!user) {
                return user.error();
            }
            if (!user.value() || user.value()->disabled) {
                return ApiError::unauthorized(u"The account no longer exists or is disabled."_s);
            }
            if (!ensureTeam || !user.value()->teams.isEmpty()) {
                return std::move(*user.value());
            }
            return runInTransaction<User>(db, [&]() -> Result<User> {
                // Concurrent first calls must create one team, not one each: lock, re-check.
                if (Status locked = db.lockKey(u"user:"_s + userId); !locked) {
                    return locked.error();
                }
                Result<QList<Membership>> teams = AccountStore::membershipsOf(db, userId);
                if (!teams) {
                    return teams.error();
                }
                if (!teams->isEmpty()) {
                    User current = std::move(*user.value());
                    current.teams = std::move(teams.value());
                    return current;
                }
                Result<QString> team = AccountStore::insertTeam(
                    db, personalTeamName(user.value()->name, user.value()->email));
                if (!team) {
                    return team.error();
                }
                if (Status member = AccountStore::insertMember(db, team.value(), userId, Role::Admin);
                    !member) {
                    return member.error();
                }
                if (auto event = EventStore::append(db, team.value(), u"member.added"_s,
                                                    {{u"userId"_s, userId},
                                                     {u"role"_s, roleName(Role::Admin)}});
                    !event) {
                    return event.error();
                }
                Result<std::optional<User>> reloaded = AccountStore::userById(db, userId);
                if (!reloaded) {
                    return reloaded.error();
                }
                return std::move(*reloaded.value());
            });
        },
        this, done);
}

void AccountService::updateMe(const QString &userId, const ProfileChange &change, Reply<User> done)
{
    const auto save = [this, userId, change, done](std::optional<QByteArray> newHash) {
        m_db->run<User>(
            DbAccess::Write,
            [userId, change, newHash](DbConnection &db) -> Result<User> {
                return runInTransaction<User>(db, [&]() -> Result<User> {
                    Result<std::optional<User>> user = AccountStore::userById(db, userId);
                    if (!user) {
                        return user.error();
                    }
                    if (!user.value()) {
                        return ApiError::unauthorized();
                    }
                    const QString name = change.name.value_or(user.value()->name);
                    const QString avatar = change.avatarUrl.value_or(user.value()->avatarUrl);
                    if (Status updated = AccountStore::updateProfile(db, userId, name, avatar);
                        !updated) {
                        return updated.error();
                    }
                    if (newHash) {
                        if (Status stored = AccountStore::updatePasswordHash(db, userId, *newHash);
                            !stored) {
                            return stored.error();
                        }
                        // A new password ends every other session.
                        if (Status revoked = AccountStore::revokeRefreshTokensOfUser(db, userId);
                            !revoked) {
                            return revoked.error();
                        }
                    }
                    Result<std::optional<User>> reloaded = AccountStore::userById(db, userId);
                    if (!reloaded) {
                        return reloaded.error();
                    }
                    return std::move(*reloaded.value());
                });
            },
            this, done);
    };
    if (!change.password) {
        return save(std::nullopt);
    }
    // A password change proves the current password first.
    m_db->run<std::optional<User>>(
        DbAccess::Read, [userId](DbConnection &db) { return AccountStore::userById(db, userId); },
        this,
        [this, change, save, done](Result<std::optional<User>> user) {
            if (!user) {
                return done(user.error());
            }
            if (!user.value()) {
                return done(ApiError::unauthorized());
            }
            const QByteArray stored = user.value()->passwordHash;
            const QByteArray current = change.currentPassword.toUtf8();
            const QByteArray next = change.password->toUtf8();
            const int cost = m_policy.bcryptCost;
            runOnPool<Result<QByteArray>>(
                m_cpu, this,
                [stored, current, next, cost]() -> Result<QByteArray> {
                    if (!stored.isEmpty() && !PasswordHasher::verify(current, stored)) {
                        return ApiError::validation(
                            {{u"currentPassword"_s, u"is incorrect"_s}},
                            u"The current password is incorrect."_s);
                    }
                    return PasswordHasher::hash(next, cost);
                },
                [save, done](Result<QByteArray> hash) {
                    if (!hash) {
                        return done(hash.error());
                    }
                    save(hash.value());
                });
        });
}

void AccountService::listMembers(const QString &actorId, const QString &teamId,
                                 Reply<QList<Member>> done)
{
    m_db->run<QList<Member>>(
        DbAccess::Read,
        [actorId, teamId](DbConnection &db) -> Result<QList<Member>> {
            if (Result<Role> role = requireRole(db, teamId, actorId, Role::Admin); !role) {
                return role.error();
            }
            return AccountStore::members(db, teamId);
        },
        this, done);
}

void AccountService::addMember(const QString &actorId, const QString &teamId, const QString &email,
                               Role role, Reply<Member> done)
{
    m_db->run<Member>(
        DbAccess::Write,
        [actorId, teamId, email, role](DbConnection &db) -> Result<Member> {
            return runInTransaction<Member>(db, [&]() -> Result<Member> {
                if (Status locked = db.lockKey(u"team:"_s + teamId); !locked) {
                    return locked.error();
                }
                if (Result<Role> actor = requireRole(db, teamId, actorId, Role::Admin); !actor) {
                    return actor.error();
                }
                Result<std::optional<User>> user = AccountStore::userByEmail(db, email);
                if (!user) {
                    return user.error();
                }
                if (!user.value()) {
                    return ApiError::validation(
                        {{u"email"_s, u"has no account here; send an invitation instead"_s}});
                }
                Result<std::optional<Member>> existing = AccountStore::member(db, teamId, user.value()->id);
                if (!existing) {
                    return existing.error();
                }
                if (existing.value()) {
                    return ApiError::conflict(u"This user is already a member of the team."_s);
                }
                if (Status added = AccountStore::insertMember(db, teamId, user.value()->id, role);
                    !added) {
                    if (isUniqueViolation(added.error())) {
                        return ApiError::conflict(u"This user is already a member of the team."_s);
                    }
                    return added.error();
                }
                if (auto event = EventStore::append(db, teamId, u"member.added"_s,
                                                    {{u"userId"_s, user.value()->id},
                                                     {u"role"_s, roleName(role)},
                                                     {u"by"_s, actorId}});
                    !event) {
                    return event.error();
                }
                Result<std::optional<Member>> added = AccountStore::member(db, teamId, user.value()->id);
                if (!added) {
                    return added.error();
                }
                return *added.value();
            });
        },
        this, done);
}

void AccountService::changeMemberRole(const QString &actorId, const QString &teamId,
                                      const QString &userId, Role role, Reply<Member> done)
{
    m_db->run<Member>(
        DbAccess::Write,
        [actorId, teamId, userId, role](DbConnection &db) -> Result<Member> {
            return runInTransaction<Member>(db, [&]() -> Result<Member> {
                // The last-admin rule reads then writes: one change per team at a time.
                if (Status locked = db.lockKey(u"team:"_s + teamId); !locked) {
                    return locked.error();
                }
                if (Result<Role> actor = requireRole(db, teamId, actorId, Role::Admin); !actor) {
                    return actor.error();
                }
                Result<std::optional<Member>> existing = AccountStore::member(db, teamId, userId);
                if (!existing) {
                    return existing.error();
                }
                if (!existing.value()) {
                    return ApiError::notFound(u"No such member."_s);
                }
                if (existing.value()->role == Role::Admin && role != Role::Admin) {
                    Result<qint64> admins = AccountStore::adminCount(db, teamId);
                    if (!admins) {
                        return admins.error();
                    }
                    if (admins.value() <= 1) {
                        return ApiError{409, u"last-admin"_s, u"Last admin"_s,
                                        u"A team needs at least one admin: promote someone else "
                                        "first."_s,
                                        {}, 0};
                    }
                }
                if (Status updated = AccountStore::setMemberRole(db, teamId, userId, role); !updated) {
                    return updated.error();
                }
                if (auto event = EventStore::append(db, teamId, u"member.updated"_s,
                                                    {{u"userId"_s, userId},
                                                     {u"role"_s, roleName(role)},
                                                     {u"by"_s, actorId}});
                    !event) {
                    return event.error();
                }
                Member member = *existing.value();
                member.role = role;
                return member;
            });
        },
        this, done);
}

void AccountService::removeMember(const QString &actorId, const QString &teamId,
                                  const QString &userId, Reply<Done> done)
{
    m_db->run<Done>(
        DbAccess::Write,
        [actorId, teamId, userId](DbConnection &db) -> Status {
            return runInTransaction<Done>(db, [&]() -> Status {
                if (Status locked = db.lockKey(u"team:"_s + teamId); !locked) {
                    return locked.error();
                }
                if (Result<Role> actor = requireRole(db, teamId, actorId, Role::Admin); !actor) {
                    return actor.error();
                }
                Result<std::optional<Member>> existing = AccountStore::member(db, teamId, userId);
                if (!existing) {
                    return existing.error();
                }
                if (!existing.value()) {
                    return ApiError::notFound(u"No such member."_s);
                }
                if (existing.value()->role == Role::Admin) {
                    Result<qint64> admins = AccountStore::adminCount(db, teamId);
                    if (!admins) {
                        return admins.error();
                    }
                    if (admins.value() <= 1) {
                        return ApiError{409, u"last-admin"_s, u"Last admin"_s,
                                        u"The last admin of a team cannot be removed."_s, {}, 0};
                    }
                }
                if (Status removed = AccountStore::deleteMember(db, teamId, userId); !removed) {
                    return removed.error();
                }
                if (auto event = EventStore::append(db, teamId, u"member.removed"_s,
                                                    {{u"userId"_s, userId}, {u"by"_s, actorId}});
                    !event) {
                    return event.error();
                }
                return Done{};
            });
        },
        this, done);
}

void AccountService::invite(const QString &actorId, const QString &teamId, const QString &email,
                            Role role, Reply<Invitation> done)
{
    const int ttl = m_policy.invitationTtlSeconds;
    m_db->run<Invitation>(
        DbAccess::Write,
        [actorId, teamId, email, role, ttl](DbConnection &db) -> Result<Invitation> {
            return runInTransaction<Invitation>(db, [&]() -> Result<Invitation> {
                if (Status locked = db.lockKey(u"team:"_s + teamId); !locked) {
                    return locked.error();
                }
                if (!actorId.isEmpty()) { // empty: the CLI, which acts as the server's owner
                    if (Result<Role> actor = requireRole(db, teamId, actorId, Role::Admin); !actor) {
                        return actor.error();
                    }
                }
                Result<std::optional<User>> user = AccountStore::userByEmail(db, email);
                if (!user) {
                    return user.error();
                }
                if (user.value()) {
                    for (const Membership &membership : std::as_const(user.value()->teams)) {
                        if (membership.teamId == teamId) {
                            return ApiError::conflict(u"This user is already a member of the team."_s);
                        }
                    }
                }
                Result<std::optional<Invitation>> pending =
                    AccountStore::pendingInvitation(db, teamId, email, nowIso());
                if (!pending) {
                    return pending.error();
                }
                if (pending.value()) {
                    return ApiError::conflict(u"This email already has a pending invitation."_s);
                }
                Invitation invitation;
                invitation.id = newId();
                invitation.teamId = teamId;
                invitation.email = email.toLower();
                invitation.role = role;
                invitation.invitedBy = actorId;
                invitation.createdAt = QDateTime::currentDateTimeUtc();
                invitation.expiresAt = invitation.createdAt.addSecs(ttl);
                if (Status inserted = AccountStore::insertInvitation(db, invitation); !inserted) {
                    return inserted.error();
                }
                if (auto event = EventStore::append(db, teamId, u"invitation.created"_s,
                                                    {{u"invitationId"_s, invitation.id},
                                                     {u"role"_s, roleName(role)}});
                    !event) {
                    return event.error();
                }
                return invitation;
            });
        },
        this, done);
}

void AccountService::listInvitations(const QString &actorId, const QString &teamId,
                                     Reply<QList<Invitation>> done)
{
    m_db->run<QList<Invitation>>(
        DbAccess::Read,
        [actorId, teamId](DbConnection &db) -> Result<QList<Invitation>> {
            if (Result<Role> actor = requireRole(db, teamId, actorId, Role::Admin); !actor) {
                return actor.error();
            }
            return AccountStore::pendingInvitations(db, teamId, nowIso());
        },
        this, done);
}

void AccountService::revokeInvitation(const QString &actorId, const QString &teamId,
                                      const QString &invitationId, Reply<Done> done)
{
    m_db->run<Done>(
        DbAccess::Write,
        [actorId, teamId, invitationId](DbConnection &db) -> Status {
            return runInTransaction<Done>(db, [&]() -> Status {
                if (Result<Role> actor = requireRole(db, teamId, actorId, Role::Admin); !actor) {
                    return actor.error();
                }
                Result<qint64> revoked =
                    AccountStore::revokeInvitation(db, teamId, invitationId, nowIso());
                if (!revoked) {
                    return revoked.error();
                }
                if (revoked.value() == 0) {
                    return ApiError::notFound(u"No such pending invitation."_s);
                }
                if (auto event = EventStore::append(db, teamId, u"invitation.revoked"_s,
                                                    {{u"invitationId"_s, invitationId}});
                    !event) {
                    return event.error();
                }
                return Done{};
            });
        },
        this, done);
}
