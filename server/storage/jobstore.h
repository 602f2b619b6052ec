// SPDX-License-Identifier: MIT
#pragma once
// SQL for the durable job queue. A use case writes its job in the same transaction as the change
// that needs it (a message and its send job commit together or not at all); the job runner
// claims due jobs under a lease (one UPDATE ... RETURNING; FOR UPDATE SKIP LOCKED on
// PostgreSQL, so several workers never take the same job), then completes, retries or fails
// them. Every change after the claim is conditional on still holding the lease.

#include "core/result.h"
#include "storage/dbconnection.h"

#include <QDateTime>
#include <QJsonObject>

struct NewJob
{
    QString kind;       // e.g. "message.send"
    QJsonObject payload;
    QDateTime runAt;    // invalid: now
    QString uniqueKey;  // e.g. "send:<messageId>": one job per purpose
    QString teamId;
};

struct ClaimedJob
{
    QString id;
    QString kind;
    QString teamId;
    QJsonObject payload;
    int attempts = 0; // including this one
    int maxAttempts = 0;
    QString leaseOwner;
};

namespace JobStore {

// Inserts a pending job; returns its id. A second job with the same unique key is a unique
// violation (isUniqueViolation), never a duplicate.
[[nodiscard]] Result<QString> enqueue(DbConnection &db, const NewJob &job);

// Claims up to `limit` due pending jobs for `owner` until now + leaseMs, oldest due first.
[[nodiscard]] Result<QList<ClaimedJob>> claimDue(DbConnection &db, const QString &owner,
                                                 int limit, int leaseMs);
// Claims the job with `uniqueKey` if it is pending (the immediate send claims its own job).
[[nodiscard]] Result<std::optional<ClaimedJob>> claimByKey(DbConnection &db,
                                                           const QString &uniqueKey,
                                                           const QString &owner, int leaseMs);
// Outcomes; false when the lease was lost meanwhile (expired and taken over): nothing changed.
[[nodiscard]] Result<bool> complete(DbConnection &db, const ClaimedJob &job);
[[nodiscard]] Result<bool> retry(DbConnection &db, const ClaimedJob &job, const QDateTime &runAt,
                                 const QString &error);
[[nodiscard]] Result<bool> fail(DbConnection &db, const ClaimedJob &job, const QString &error);
// Running jobs whose lease expired (their worker died) become pending again; returns how many.
[[nodiscard]] Result<qint64> releaseExpired(DbConnection &db);
// When the next pending job is due; nullopt when none is pending.
[[nodiscard]] Result<std::optional<QDateTime>> nextDue(DbConnection &db);

} // namespace JobStore
