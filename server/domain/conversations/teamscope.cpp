// SPDX-License-Identifier: MIT
#include "teamscope.h"

#include "domain/teamaccess.h"
#include "storage/accountstore.h"
#include "storage/conversationstore.h"

using namespace Qt::StringLiterals;

Result<TeamScope> resolveTeam(DbConnection &db, const QString &teamId, const QString &userId,
                              Role minimum)
{
    QString team = teamId;
    if (team.isEmpty()) {
        Result<QList<Membership>> memberships = AccountStore::membershipsOf(db, userId);
        if (!memberships) {
            return memberships.error();
        }
        if (memberships->isEmpty()) {
            return ApiError::notFound(u"You are not a member of any team."_s);
        }
        team = memberships->first().teamId;
    }
    Result<Role> role = requireRole(db, team, userId, minimum);
    if (!role) {
        return role.error();
    }
    return TeamScope{team, role.value()};
}

Result<std::optional<ContactSummary>> liveContact(DbConnection &db, const QString &teamId,
                                                  const QString &contactId)
{
    // Merges chain rarely and never loop on purpose; the bound keeps a damaged chain harmless.
    QString id = contactId;
    for (int hop = 0; hop < 8; ++hop) {
        Result<std::optional<ContactSummary>> contact = ConversationStore::contact(db, teamId, id);
        if (!contact || !contact.value() || contact.value()->mergedInto.isEmpty()) {
            return contact;
        }
        id = contact.value()->mergedInto;
    }
    return std::optional<ContactSummary>();
}
