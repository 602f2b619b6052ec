// SPDX-License-Identifier: MIT
#include "teamaccess.h"

#include "storage/accountstore.h"

using namespace Qt::StringLiterals;

Result<Role> requireRole(DbConnection &db, const QString &teamId, const QString &userId,
                         Role minimum)
{
    Result<std::optional<Role>> role = AccountStore::roleIn(db, teamId, userId);
    if (!role) {
        return role.error();
    }
    if (!role.value()) {
        return ApiError::notFound(u"No such team."_s);
    }
    if (int(*role.value()) < int(minimum)) {
        return ApiError::forbidden(u"This needs the %1 role in the team."_s.arg(roleName(minimum)));
    }
    return *role.value();
}
