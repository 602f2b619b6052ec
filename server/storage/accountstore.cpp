// SPDX-License-Identifier: MIT
#include "accountstore.h"

#include "core/ids.h"

using namespace Qt::StringLiterals;

namespace AccountStore {

namespace {

const QString kUserColumns =
    u"id, email, name, avatar_url, password_hash, google_sub, disabled, created_at"_s;

QVariant nullable(const QString &value)
{
    return value.isEmpty() ? QVariant() : QVariant(value);
}

User userFrom(const SqlRow &row)
{
    User user;
    user.id = row.text(u"id"_s);
    user.email = row.text(u"email"_s);
    user.name = row.text(u"name"_s);
    user.avatarUrl = row.text(u"avatar_url"_s);
    user.passwordHash = row.text(u"password_hash"_s).toLatin1();
    user.googleSub = row.text(u"google_sub"_s);
    user.disabled = row.flag(u"disabled"_s);
    user.createdAt = row.time(u"created_at"_s);
    return user;
}

Result<std::optional<User>> withMemberships(DbConnection &db, Result<std::optional<SqlRow>> row)
{
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<User>();
    }
    User user = userFrom(*row.value());
    Result<QList<Membership>> teams = membershipsOf(db, user.id);
    if (!teams) {
        return teams.error();
    }
    user.teams = std::move(teams.value());
    return std::optional<User>(std::move(user));
}

Member memberFrom(const SqlRow &row)
{
    return Member{row.text(u"user_id"_s), row.text(u"email"_s), row.text(u"name"_s),
                  row.text(u"avatar_url"_s),
                  parseRole(row.text(u"role"_s)).value_or(Role::Viewer),
                  row.time(u"created_at"_s)};
}

Invitation invitationFrom(const SqlRow &row)
{
    return Invitation{row.text(u"id"_s), row.text(u"team_id"_s), row.text(u"email"_s),
                      parseRole(row.text(u"role"_s)).value_or(Role::Viewer),
                      row.text(u"invited_by"_s), row.time(u"created_at"_s),
                      row.time(u"expires_at"_s)};
}

Status asStatus(const Result<qint64> &result)
{
    if (!result) {
        return result.error();
    }
    return Done{};
}

const QString kInvitationColumns = u"id, team_id, email, role, invited_by, created_at, expires_at"_s;

} // namespace

Result<std::optional<User>> userById(DbConnection &db, const QString &id)
{
    return withMemberships(
        db, db.queryOne(u"SELECT "_s + kUserColumns + u" FROM users WHERE id = ?"_s, {id}));
}

Result<std::optional<User>> userByEmail(DbConnection &db, const QString &email)
{
    return withMemberships(db, db.queryOne(u"SELECT "_s + kUserColumns
                                               + u" FROM users WHERE email = ?"_s,
                                           {email.toLower()}));
}

Result<std::optional<User>> userByGoogleSub(DbConnection &db, const QString &sub)
{
    return withMemberships(db, db.queryOne(u"SELECT "_s + kUserColumns
                                               + u" FROM users WHERE google_sub = ?"_s,
                                           {sub}));
}

Status setGoogleSub(DbConnection &db, const QString &userId, const QString &sub)
{
    return asStatus(db.exec(u"UPDATE users SET google_sub = ?, updated_at = ? WHERE id = ?"_s,
                            {nullable(sub), nowIso(), userId}));
}

Result<QList<User>> listUsers(DbConnection &db)
{
    Result<SqlRows> rows = db.query(u"SELECT "_s + kUserColumns + u" FROM users ORDER BY created_at, id"_s);
    if (!rows) {
        return rows.error();
    }
    QList<User> users;
    for (const SqlRow &row : rows.value()) {
        User user = userFrom(row);
        Result<QList<Membership>> teams = membershipsOf(db, user.id);
        if (!teams) {
            return teams.error();
        }
        user.teams = std::move(teams.value());
        users.append(std::move(user));
    }
    return users;
}

Result<qint64> countUsers(DbConnection &db)
{
    Result<std::optional<SqlRow>> row = db.queryOne(u"SELECT COUNT(*) AS n FROM users"_s);
    if (!row) {
        return row.error();
    }
    return row.value()->integer(u"n"_s);
}

Status insertUser(DbConnection &db, const User &user)
{
    const QString now = nowIso();
    return asStatus(db.exec(
        u"INSERT INTO users (id, email, name, avatar_url, password_hash, google_sub, disabled, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {user.id, user.email.toLower(), user.name, nullable(user.avatarUrl),
         user.passwordHash.isEmpty() ? QVariant() : QVariant(QString::fromLatin1(user.passwordHash)),
         nullable(user.googleSub), user.disabled, now, now}));
}

Status updateProfile(DbConnection &db, const QString &userId, const QString &name,
                     const QString &avatarUrl)
{
    return asStatus(db.exec(u"UPDATE users SET name = ?, avatar_url = ?, updated_at = ? WHERE id = ?"_s,
                            {name, nullable(avatarUrl), nowIso(), userId}));
}

Status updatePasswordHash(DbConnection &db, const QString &userId, const QByteArray &hash)
{
    return asStatus(db.exec(u"UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?"_s,
                            {QString::fromLatin1(hash), nowIso(), userId}));
}

Result<QList<Membership>> membershipsOf(DbConnection &db, const QString &userId)
{
    Result<SqlRows> rows = db.query(
        u"SELECT m.team_id, t.name, m.role, m.created_at FROM team_members m "
        "JOIN teams t ON t.id = m.team_id WHERE m.user_id = ? ORDER BY m.created_at, m.team_id"_s,
        {userId});
    if (!rows) {
        return rows.error();
    }
    QList<Membership> teams;
    for (const SqlRow &row : rows.value()) {
        teams.append({row.text(u"team_id"_s), row.text(u"name"_s),
                      parseRole(row.text(u"role"_s)).value_or(Role::Viewer),
                      row.time(u"created_at"_s)});
    }
    return teams;
}

Result<std::optional<Role>> roleIn(DbConnection &db, const QString &teamId, const QString &userId)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"SELECT m.role FROM team_members m JOIN users u ON u.id = m.user_id "
        "WHERE m.team_id = ? AND m.user_id = ? AND u.disabled = ?"_s,
        {teamId, userId, false});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<Role>();
    }
    return parseRole(row.value()->text(u"role"_s));
}

Result<QString> insertTeam(DbConnection &db, const QString &name)
{
    const QString id = newId();
    Result<qint64> inserted = db.exec(u"INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)"_s,
                                      {id, name, nowIso()});
    if (!inserted) {
        return inserted.error();
    }
    return id;
}

Result<std::optional<QString>> teamIdByName(DbConnection &db, const QString &name)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"SELECT id FROM teams WHERE name = ? ORDER BY created_at LIMIT 1"_s, {name});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<QString>();
    }
    return std::optional<QString>(row.value()->text(u"id"_s));
}

Status insertMember(DbConnection &db, const QString &teamId, const QString &userId, Role role)
{
    return asStatus(db.exec(
        u"INSERT INTO team_members (id, team_id, user_id, role, created_at) VALUES (?, ?, ?, ?, ?)"_s,
        {newId(), teamId, userId, roleName(role), nowIso()}));
}

Result<QList<Member>> members(DbConnection &db, const QString &teamId)
{
    Result<SqlRows> rows = db.query(
        u"SELECT m.user_id, u.email, u.name, u.avatar_url, m.role, m.created_at FROM team_members m "
        "JOIN users u ON u.id = m.user_id WHERE m.team_id = ? ORDER BY m.created_at, m.user_id"_s,
        {teamId});
    if (!rows) {
        return rows.error();
    }
    QList<Member> list;
    for (const SqlRow &row : rows.value()) {
        list.append(memberFrom(row));
    }
    return list;
}

Result<std::optional<Member>> member(DbConnection &db, const QString &teamId, const QString &userId)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"SELECT m.user_id, u.email, u.name, u.avatar_url, m.role, m.created_at FROM team_members m "
        "JOIN users u ON u.id = m.user_id WHERE m.team_id = ? AND m.user_id = ?"_s,
        {teamId, userId});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<Member>();
    }
    return std::optional<Member>(memberFrom(*row.value()));
}

Status setMemberRole(DbConnection &db, const QString &teamId, const QString &userId, Role role)
{
    return asStatus(db.exec(u"UPDATE team_members SET role = ? WHERE team_id = ? AND user_id = ?"_s,
                            {roleName(role), teamId, userId}));
}

Status deleteMember(DbConnection &db, const QString &teamId, const QString &userId)
{
    return asStatus(db.exec(u"DELETE FROM team_members WHERE team_id = ? AND user_id = ?"_s,
                            {teamId, userId}));
}

Result<qint64> adminCount(DbConnection &db, const QString &teamId)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"SELECT COUNT(*) AS n FROM team_members WHERE team_id = ? AND role = ?"_s,
        {teamId, roleName(Role::Admin)});
    if (!row) {
        return row.error();
    }
    return row.value()->integer(u"n"_s);
}

Result<std::optional<Invitation>> pendingInvitationFor(DbConnection &db, const QString &email,
                                                       const QString &now)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"SELECT "_s + kInvitationColumns
            + u" FROM invitations WHERE email = ? AND accepted_at IS NULL AND revoked_at IS NULL "
              "AND expires_at > ? ORDER BY created_at DESC LIMIT 1"_s,
        {email.toLower(), now});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<Invitation>();
    }
    return std::optional<Invitation>(invitationFrom(*row.value()));
}

Result<std::optional<Invitation>> pendingInvitation(DbConnection &db, const QString &teamId,
                                                    const QString &email, const QString &now)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"SELECT "_s + kInvitationColumns
            + u" FROM invitations WHERE team_id = ? AND email = ? AND accepted_at IS NULL "
              "AND revoked_at IS NULL AND expires_at > ? LIMIT 1"_s,
        {teamId, email.toLower(), now});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<Invitation>();
    }
    return std::optional<Invitation>(invitationFrom(*row.value()));
}

Status insertInvitation(DbConnection &db, const Invitation &invitation)
{
    return asStatus(db.exec(
        u"INSERT INTO invitations (id, team_id, email, role, invited_by, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
        {invitation.id, invitation.teamId, invitation.email.toLower(), roleName(invitation.role),
         nullable(invitation.invitedBy), isoUtc(invitation.createdAt),
         isoUtc(invitation.expiresAt)}));
}

Result<QList<Invitation>> pendingInvitations(DbConnection &db, const QString &teamId,
                                             const QString &now)
{
    Result<SqlRows> rows = db.query(
        u"SELECT "_s + kInvitationColumns
            + u" FROM invitations WHERE team_id = ? AND accepted_at IS NULL AND revoked_at IS NULL "
              "AND expires_at > ? ORDER BY created_at, id"_s,
        {teamId, now});
    if (!rows) {
        return rows.error();
    }
    QList<Invitation> list;
    for (const SqlRow &row : rows.value()) {
        list.append(invitationFrom(row));
    }
    return list;
}

Result<qint64> revokeInvitation(DbConnection &db, const QString &teamId, const QString &id,
                                const QString &now)
{
    return db.exec(u"UPDATE invitations SET revoked_at = ? WHERE team_id = ? AND id = ? "
                   "AND accepted_at IS NULL AND revoked_at IS NULL"_s,
                   {now, teamId, id});
}

Status markInvitationAccepted(DbConnection &db, const QString &id, const QString &now)
{
    return asStatus(db.exec(u"UPDATE invitations SET accepted_at = ? WHERE id = ?"_s, {now, id}));
}

Status insertRefreshToken(DbConnection &db, const QString &id, const QString &userId,
                          const QString &familyId, const QByteArray &tokenHash,
                          const QDateTime &expiresAt, const QString &userAgent, const QString &ip)
{
    return asStatus(db.exec(
        u"INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, "
        "user_agent, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {id, userId, familyId, QString::fromLatin1(tokenHash), nowIso(), isoUtc(expiresAt),
         nullable(userAgent), nullable(ip)}));
}

Result<std::optional<RefreshTokenRow>> refreshTokenByHash(DbConnection &db, const QByteArray &hash)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"SELECT id, user_id, family_id, expires_at, rotated_at, revoked_at FROM refresh_tokens "
        "WHERE token_hash = ?"_s,
        {QString::fromLatin1(hash)});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<RefreshTokenRow>();
    }
    const SqlRow &r = *row.value();
    return std::optional<RefreshTokenRow>(RefreshTokenRow{
        r.text(u"id"_s), r.text(u"user_id"_s), r.text(u"family_id"_s), r.time(u"expires_at"_s),
        !r.isNull(u"rotated_at"_s), !r.isNull(u"revoked_at"_s)});
}

Result<qint64> markRefreshTokenRotated(DbConnection &db, const QString &id, const QString &replacedBy)
{
    // Conditional, so two concurrent refreshes with the same token cannot both win.
    return db.exec(u"UPDATE refresh_tokens SET rotated_at = ?, replaced_by = ? "
                   "WHERE id = ? AND rotated_at IS NULL AND revoked_at IS NULL"_s,
                   {nowIso(), replacedBy, id});
}

Status revokeRefreshFamily(DbConnection &db, const QString &familyId)
{
    return asStatus(db.exec(u"UPDATE refresh_tokens SET revoked_at = ? "
                            "WHERE family_id = ? AND revoked_at IS NULL"_s,
                            {nowIso(), familyId}));
}

Status revokeRefreshTokensOfUser(DbConnection &db, const QString &userId)
{
    return asStatus(db.exec(u"UPDATE refresh_tokens SET revoked_at = ? "
                            "WHERE user_id = ? AND revoked_at IS NULL"_s,
                            {nowIso(), userId}));
}

} // namespace AccountStore
