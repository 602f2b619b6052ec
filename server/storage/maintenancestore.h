// SPDX-License-Identifier: MIT
#pragma once
// SQL of the periodic prune (jobs/maintenancejobs.h). Each call deletes at most `batch` rows in
// one statement, so a large backlog is cleared in many short writes that other work can queue
// between, never one long one; the caller repeats while a call deletes a full batch.

#include "core/result.h"
#include "storage/dbconnection.h"

#include <QDateTime>

namespace MaintenanceStore {

// Outbox events created before `before`, oldest first. Looks only at the `batch` oldest rows
// (ids follow time), so no index on created_at is needed and a pass never scans the table.
[[nodiscard]] Result<qint64> pruneEvents(DbConnection &db, const QDateTime &before, int batch);
// Webhook receipts received before `before`.
[[nodiscard]] Result<qint64> pruneWebhookReceipts(DbConnection &db, const QDateTime &before,
                                                  int batch);
// Jobs that finished (done, failed, canceled) before `before`. Pending and running jobs are
// never touched: their unique keys still guard against a second enqueue.
[[nodiscard]] Result<qint64> pruneFinishedJobs(DbConnection &db, const QDateTime &before,
                                               int batch);
// Refresh tokens of sign-ins (families) whose every token expired before `before`: nothing of
// such a family can be refreshed any more, so reuse detection loses nothing. A family with one
// live token is kept whole.
[[nodiscard]] Result<qint64> pruneDeadSignIns(DbConnection &db, const QDateTime &before, int batch);

} // namespace MaintenanceStore
