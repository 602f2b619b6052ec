// SPDX-License-Identifier: MIT
#include "accountjson.h"

#include "storage/sqlrow.h"

#include "core/jsonvalues.h"
#include <QJsonArray>

using namespace Qt::StringLiterals;

QJsonObject userJson(const User &user)
{
    QJsonArray teams;
    for (const Membership &membership : user.teams) {
        teams.append(QJsonObject{{u"id"_s, membership.teamId},
                                 {u"name"_s, membership.teamName},
                                 {u"role"_s, roleName(membership.role)},
                                 {u"joinedAt"_s, isoTimeOrNull(membership.joinedAt)}});
    }
    return QJsonObject{{u"id"_s, user.id},
                       {u"email"_s, user.email},
                       {u"name"_s, user.name},
                       {u"avatarUrl"_s, jsonTextOrNull(user.avatarUrl)},
                       {u"hasPassword"_s, !user.passwordHash.isEmpty()},
                       {u"googleLinked"_s, !user.googleSub.isEmpty()},
                       {u"createdAt"_s, isoTimeOrNull(user.createdAt)},
                       {u"teams"_s, teams}};
}

QJsonObject sessionJson(const Session &session)
{
    return QJsonObject{{u"user"_s, userJson(session.user)},
                       {u"accessToken"_s, QString::fromLatin1(session.accessToken)},
                       {u"tokenType"_s, u"Bearer"_s},
                       {u"expiresIn"_s, session.accessTokenTtl},
                       {u"refreshToken"_s, session.refreshToken}};
}

QJsonObject memberJson(const Member &member)
{
    return QJsonObject{{u"userId"_s, member.userId},
                       {u"email"_s, member.email},
                       {u"name"_s, member.name},
                       {u"avatarUrl"_s, jsonTextOrNull(member.avatarUrl)},
                       {u"role"_s, roleName(member.role)},
                       {u"joinedAt"_s, isoTimeOrNull(member.joinedAt)}};
}

QJsonObject invitationJson(const Invitation &invitation)
{
    return QJsonObject{{u"id"_s, invitation.id},
                       {u"teamId"_s, invitation.teamId},
                       {u"email"_s, invitation.email},
                       {u"role"_s, roleName(invitation.role)},
                       {u"invitedBy"_s, jsonTextOrNull(invitation.invitedBy)},
                       {u"createdAt"_s, isoTimeOrNull(invitation.createdAt)},
                       {u"expiresAt"_s, isoTimeOrNull(invitation.expiresAt)}};
}
