// SPDX-License-Identifier: MIT
#pragma once
// SQL for users, teams, memberships, invitations and refresh tokens. Runs on a database thread;
// knows nothing of HTTP. Callers own the transaction.

#include "core/result.h"
#include "domain/accounts/accounttypes.h"
#include "storage/dbconnection.h"

namespace AccountStore {

[[nodiscard]] Result<std::optional<User>> userById(DbConnection &db, const QString &id);
[[nodiscard]] Result<std::optional<User>> userByEmail(DbConnection &db, const QString &email);
[[nodiscard]] Result<std::optional<User>> userByGoogleSub(DbConnection &db, const QString &sub);
[[nodiscard]] Result<QList<User>> listUsers(DbConnection &db);
[[nodiscard]] Result<qint64> countUsers(DbConnection &db);
[[nodiscard]] Status insertUser(DbConnection &db, const User &user);
[[nodiscard]] Status updateProfile(DbConnection &db, const QString &userId, const QString &name,
                                   const QString &avatarUrl);
[[nodiscard]] Status updatePasswordHash(DbConnection &db, const QString &userId,
                                        const QByteArray &hash);
// Links (or, with an empty sub, unlinks) a Google account.
[[nodiscard]] Status setGoogleSub(DbConnection &db, const QString &userId, const QString &sub);

[[nodiscard]] Result<QList<Membership>> membershipsOf(DbConnection &db, const QString &userId);
[[nodiscard]] Result<std::optional<Role>> roleIn(DbConnection &db, const QString &teamId,
                                                 const QString &userId);
[[nodiscard]] Result<QString> insertTeam(DbConnection &db, const QString &name);
[[nodiscard]] Result<std::optional<QString>> teamIdByName(DbConnection &db, const QString &name);
[[nodiscard]] Status insertMember(DbConnection &db, const QString &teamId, const QString &userId,
                                  Role role);
[[nodiscard]] Result<QList<Member>> members(DbConnection &db, const QString &teamId);
[[nodiscard]] Result<std::optional<Member>> member(DbConnection &db, const QString &teamId,
                                                   const QString &userId);
[[nodiscard]] Status setMemberRole(DbConnection &db, const QString &teamId, const QString &userId,
                                   Role role);
[[nodiscard]] Status deleteMember(DbConnection &db, const QString &teamId, const QString &userId);
[[nodiscard]] Result<qint64> adminCount(DbConnection &db, const QString &teamId);

[[nodiscard]] Result<std::optional<Invitation>> pendingInvitationFor(DbConnection &db,
                                                                     const QString &email,
                                                                     const QString &nowIso);
[[nodiscard]] Result<std::optional<Invitation>> pendingInvitation(DbConnection &db,
                                                                  const QString &teamId,
                                                                  const QString &email,
                                                                  const QString &nowIso);
[[nodiscard]] Status insertInvitation(DbConnection &db, const Invitation &invitation);
[[nodiscard]] Result<QList<Invitation>> pendingInvitations(DbConnection &db, const QString &teamId,
                                                           const QString &nowIso);
[[nodiscard]] Result<qint64> revokeInvitation(DbConnection &db, const QString &teamId,
                                              const QString &id, const QString &nowIso);
[[nodiscard]] Status markInvitationAccepted(DbConnection &db, const QString &id,
                                            const QString &nowIso);

struct RefreshTokenRow
{
    QString id;
    QString userId;
    QString familyId;
    QDateTime expiresAt;
    bool rotated = false;
    bool revoked = false;
};
[[nodiscard]] Status insertRefreshToken(DbConnection &db, const QString &id, const QString &userId,
                                        const QString &familyId, const QByteArray &tokenHash,
                                        const QDateTime &expiresAt, const QString &userAgent,
                                        const QString &ip);
[[nodiscard]] Result<std::optional<RefreshTokenRow>> refreshTokenByHash(DbConnection &db,
                                                                        const QByteArray &hash);
[[nodiscard]] Result<qint64> markRefreshTokenRotated(DbConnection &db, const QString &id,
                                                     const QString &replacedBy);
[[nodiscard]] Status revokeRefreshFamily(DbConnection &db, const QString &familyId);
[[nodiscard]] Status revokeRefreshTokensOfUser(DbConnection &db, const QString &userId);

} // namespace AccountStore
