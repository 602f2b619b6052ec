// SPDX-License-Identifier: MIT
#pragma once
// Which team a conversation, message or note use case acts in. /api/v1 names the team in the
// path; the compatible routes have none (the original was single-team), so there the caller's
// first team (oldest membership) is theirs.

#include "core/result.h"
#include "domain/accounts/accounttypes.h"
#include "domain/conversations/conversationtypes.h"
#include "storage/dbconnection.h"

// The caller's first team when they named none.
inline const QString kCallersFirstTeam;

struct TeamScope
{
    QString teamId;
    Role role = Role::Viewer; // the caller's role there
};

// The team to act in, checked with requireRole (404 non-member, 403 below `minimum`). With
// kCallersFirstTeam: the caller's first team, 404 when they have none.
[[nodiscard]] Result<TeamScope> resolveTeam(DbConnection &db, const QString &teamId,
                                            const QString &userId, Role minimum);

// The contact as it stands now: a contact merged into another is followed to the survivor
// (where its messages, notes and conversations went). nullopt when the team has no such contact.
[[nodiscard]] Result<std::optional<ContactSummary>> liveContact(DbConnection &db,
                                                                const QString &teamId,
                                                                const QString &contactId);
