// SPDX-License-Identifier: MIT
#pragma once
// The account use cases: sign-up, login, refresh, logout, profile, members and invitations.
// Each is one function; each database step is one transaction on a database thread; bcrypt runs
// on the CPU pool; results come back on the thread this object lives on (the HTTP thread).

#include "auth/google/googleidtoken.h"
#include "auth/loginthrottle.h"
#include "auth/tokenservice.h"
#include "config/config.h"
#include "core/result.h"
#include "domain/accounts/accounttypes.h"

#include <QObject>

#include <functional>

class Database;
class QThreadPool;

struct AccountPolicy
{
    SignupMode signupMode = SignupMode::Invite;
    QString defaultTeamName;
    int bcryptCost = 12;
    int invitationTtlSeconds = 7 * 86400;
};

class AccountService : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Reply = std::function<void(Result<T>)>;

    AccountService(Database *db, const TokenService *tokens, QThreadPool *cpu, AccountPolicy policy,
                   LoginThrottle *throttle, QObject *parent = nullptr);

    struct Client
    {
        QString ip;
        QString userAgent;
    };

    void signUp(const QString &email, const QString &password, const QString &name,
                const Client &client, Reply<Session> done);
    void login(const QString &email, const QString &password, const Client &client,
               Reply<Session> done);
    void refresh(const QString &refreshToken, const Client &client, Reply<Session> done);
    void logout(const QString &refreshToken, Reply<Done> done);

    // Sign-in with an identity Google vouched for (auth/google): the user with this Google
    // subject, else the one with this (verified) email, whose account gets linked to it, else a
    // new user placed by the sign-up mode like a password sign-up. Disabled users are refused.
    void signInWithGoogle(const GoogleIdentity &identity, const Client &client,
                          Reply<Session> done);
    // Forgets the user's Google link; refused (409 google-unlink-needs-password) while the
    // account has no password, since it could not sign in any more.
    void unlinkGoogle(const QString &userId, Reply<User> done);

    // The user with their teams; with `ensureTeam`, a user without a team gets one of their own
    // as its admin (what the original's GET /api/auth/session did).
    void me(const QString &userId, bool ensureTeam, Reply<User> done);

    struct ProfileChange
    {
        std::optional<QString> name;
        std::optional<QString> avatarUrl;
        std::optional<QString> password;
        QString currentPassword;
    };
    void updateMe(const QString &userId, const ProfileChange &change, Reply<User> done);

    void listMembers(const QString &actorId, const QString &teamId, Reply<QList<Member>> done);
    void addMember(const QString &actorId, const QString &teamId, const QString &email, Role role,
                   Reply<Member> done);
    void changeMemberRole(const QString &actorId, const QString &teamId, const QString &userId,
                          Role role, Reply<Member> done);
    void removeMember(const QString &actorId, const QString &teamId, const QString &userId,
                      Reply<Done> done);

    void invite(const QString &actorId, const QString &teamId, const QString &email, Role role,
                Reply<Invitation> done);
    void listInvitations(const QString &actorId, const QString &teamId,
                         Reply<QList<Invitation>> done);
    void revokeInvitation(const QString &actorId, const QString &teamId,
                          const QString &invitationId, Reply<Done> done);

private:
    Database *m_db;
    const TokenService *m_tokens;
    QThreadPool *m_cpu;
    AccountPolicy m_policy;
    LoginThrottle *m_throttle;
};
