// SPDX-License-Identifier: MIT
#include "maintenancestore.h"

#include "storage/sqlrow.h"

using namespace Qt::StringLiterals;

namespace MaintenanceStore {

Result<qint64> pruneEvents(DbConnection &db, const QDateTime &before, int batch)
{
    // A window of the oldest ids rather than "created_at < ? LIMIT n": the latter, once fewer
    // than n old rows are left, reads the whole table to find that out.
    return db.exec(u"DELETE FROM events WHERE id IN (SELECT id FROM (SELECT id, created_at FROM "
                   "events ORDER BY id LIMIT ?) oldest WHERE created_at < ?)"_s,
                   {batch, isoUtc(before)});
}

Result<qint64> pruneWebhookReceipts(DbConnection &db, const QDateTime &before, int batch)
{
    const QString cutoff = isoUtc(before);
    return db.exec(u"DELETE FROM webhook_receipts WHERE (provider, event_sid) IN (SELECT provider, "
                   "event_sid FROM webhook_receipts WHERE received_at < ? ORDER BY received_at "
                   "LIMIT ?)"_s,
                   {cutoff, batch});
}

Result<qint64> pruneFinishedJobs(DbConnection &db, const QDateTime &before, int batch)
{
    // The outer condition is repeated: on PostgreSQL a row changed by a concurrent transaction
    // is re-checked against it (a job revived meanwhile stays).
    const QString cutoff = isoUtc(before);
    return db.exec(u"DELETE FROM jobs WHERE status IN ('done', 'failed', 'canceled') "
                   "AND updated_at < ? AND id IN (SELECT id FROM jobs "
                   "WHERE status IN ('done', 'failed', 'canceled') AND updated_at < ? "
                   "ORDER BY updated_at LIMIT ?)"_s,
                   {cutoff, cutoff, batch});
}

Result<qint64> pruneDeadSignIns(DbConnection &db, const QDateTime &before, int batch)
{
    // Bounded by rows, not families (a long sign-in rotates its token many times); a family's
    // rows may go over several calls: what is left of a dead family is still dead.
    const QString cutoff = isoUtc(before);
    return db.exec(u"DELETE FROM refresh_tokens WHERE id IN (SELECT t.id FROM refresh_tokens t "
                   "WHERE t.expires_at < ? AND NOT EXISTS (SELECT 1 FROM refresh_tokens f "
                   "WHERE f.family_id = t.family_id AND f.expires_at >= ?) LIMIT ?)"_s,
                   {cutoff, cutoff, batch});
}

} // namespace MaintenanceStore
