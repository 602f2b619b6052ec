// SPDX-License-Identifier: MIT
#pragma once
// Authorization inside a use case's database step: the caller's role in a team, checked on every
// request (roles may change at any time, so they are not trusted from the token).

#include "core/result.h"
#include "domain/accounts/accounttypes.h"
#include "storage/dbconnection.h"

// The caller's role in `teamId`: 404 when not a member (no existence leak), 403 when below
// `minimum`. Viewer reads; editor sends, writes notes, edits contacts and conversations; admin
// also manages inboxes, members and team settings.
[[nodiscard]] Result<Role> requireRole(DbConnection &db, const QString &teamId,
                                       const QString &userId, Role minimum);
