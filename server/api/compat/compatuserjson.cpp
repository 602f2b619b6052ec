// SPDX-License-Identifier: MIT
#include "compatuserjson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

QJsonArray teamRoles(const User &user)
{
    QJsonArray roles;
    for (const Membership &membership : user.teams) {
        roles.append(QJsonObject{{u"teamId"_s, membership.teamId},
                                 {u"userId"_s, user.id},
                                 {u"role"_s, roleName(membership.role).toUpper()},
                                 {u"team"_s, QJsonObject{{u"id"_s, membership.teamId},
                                                         {u"name"_s, membership.teamName}}}});
    }
    return roles;
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QJsonObject compatUser(const User &user, UserShape shape, const TwilioProfile &twilio)
{
    QJsonObject json{{u"id"_s, user.id},
                     {u"email"_s, user.email},
                     {u"name"_s, textOrNull(user.name)},
                     {u"isTwilioVerified"_s, twilio.verified},
                     {u"teamRoles"_s, teamRoles(user)}};
    if (shape != UserShape::Login) {
        json.insert(u"twilioAccountSid"_s, textOrNull(twilio.accountSid));
        json.insert(u"twilioSmsFrom"_s, textOrNull(twilio.smsFrom));
        json.insert(u"twilioWhatsappFrom"_s, textOrNull(twilio.whatsappFrom));
        json.insert(u"twilioCredentialsSet"_s, twilio.authTokenSet);
    }
    if (shape != UserShape::Signup) {
        json.insert(u"twilioNumber"_s, textOrNull(twilio.number));
    }
    if (shape == UserShape::Session) {
        json.insert(u"avatarUrl"_s, textOrNull(user.avatarUrl));
    }
    return json;
}
