// SPDX-License-Identifier: MIT
#pragma once
// Writes one batch of mapped rows into our database as one transaction: rows the target already
// has (by id, or for units without one by imported_rows) are left alone and counted as present;
// rows that would take a unique value someone else holds (an email, a team's live phone number,
// a Twilio message SID...) are rejected with the reason; the rest go in with one multi-row
// INSERT per table. The secrets of the batch are stored just before its commit and removed again
// if the commit fails, so a row never exists without its secret. A dry run does the same
// look-ups and writes nothing.

#include "core/result.h"
#include "importer/importrow.h"
#include "importer/importstate.h"
#include "importer/importtypes.h"

#include <QList>
#include <QString>

class Database;
class DbConnection;
class SecretStore;

enum class RowFate { Imported, Present, Rejected };

struct BatchOutcome
{
    QList<RowFate> fates; // one per row, in order
    QList<Rejection> rejections;
    QList<Rejection> notices; // imported, but not quite as they were (`reason` says how)
};

class ImportWriter
{
public:
    // `db` may be null in a dry run whose target has no schema yet: then it holds nothing.
    ImportWriter(Database *db, const SecretStore *secrets, bool dryRun);

    // `existsSql`: "SELECT <probe> AS id FROM ... WHERE <probe> IN (%1)" (%1: the placeholders).
    [[nodiscard]] Result<BatchOutcome> write(const QString &label, const QString &existsSql,
                                             const QList<MappedRow> &rows, ImportState &state);

private:
    [[nodiscard]] Result<BatchOutcome> writeOn(DbConnection *c, const QString &label,
                                               const QString &existsSql,
                                               const QList<MappedRow> &rows, ImportState &state);

    Database *m_db;
    const SecretStore *m_secrets;
    bool m_dryRun;
};
