// SPDX-License-Identifier: MIT
#pragma once
// `inbox-central import`: moves the original Node backend's data (its Prisma tables on
// PostgreSQL) into our database, table by table, parents first: users, teams, members, the
// per-user Twilio settings (personal inboxes), contacts, conversations (one per contact and
// channel with messages), messages (scheduled ones with their delivery job), notes, events.
//
// Each batch of source rows is one target transaction, so a crash loses at most the batch in
// flight and a second run picks up where the first stopped: rows keep their source ids, rows
// already there are skipped (counted as present), and nothing is ever half-imported. Runs on the
// calling thread (a command, not the server); the target is written through one database thread.

#include "core/result.h"
#include "importer/importtypes.h"

class ImportProgress;

class Importer
{
public:
    Importer(ImportOptions options, ImportProgress *progress);

    [[nodiscard]] Result<ImportSummary> run();

private:
    ImportOptions m_options;
    ImportProgress *m_progress;
};
