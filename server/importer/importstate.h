// SPDX-License-Identifier: MIT
#pragma once
// What the importer remembers across tables while it runs: which source rows the target now has
// (imported by this run, or already there), so a child row is checked against its parents
// without a query, identically in a dry run (where nothing is written). Only ids and a few
// keys: a few bytes per row.

#include <QHash>
#include <QSet>
#include <QString>

struct ImportState
{
    QSet<QString> users;
    QHash<QString, QString> teams; // team id → name
    QHash<QString, QString> contactTeam; // contact id → team id
    QSet<QString> conversations;
    // The user's first team (earliest membership, as the compatible routes pick it) and when.
    QHash<QString, std::pair<QString, QString>> firstTeam; // user id → (created_at, team id)
    // Unique values taken so far, by kind: value → the source id that holds it.
    QHash<QString, QHash<QString, QString>> taken;
};
