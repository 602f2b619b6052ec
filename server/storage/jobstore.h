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

struct NewEvent;

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
// `announce`, if given, is appended as an event by the same statement when the lease still held
// (EventStore::appendOnChange): the handler's last change and its outcome in one round trip.
[[nodiscard]] Result<bool> complete(DbConnection &db, const ClaimedJob &job,
                                    const NewEvent *announce = nullptr);
[[nodiscard]] Result<bool> retry(DbConnection &db, const ClaimedJob &job, const QDateTime &runAt,
                                 const QString &error, const NewEvent *announce = nullptr);
[[nodiscard]] Result<bool> fail(DbConnection &db, const ClaimedJob &job, const QString &error,
                                const NewEvent *announce = nullptr);
// Running jobs whose lease expired (their worker died) become pending again; returns how many.
[[nodiscard]] Result<qint64> releaseExpired(DbConnection &db);
// When the next pending job is due; nullopt when none is pending.
[[nodiscard]] Result<std::optional<QDateTime>> nextDue(DbConnection &db);

// ---- Changes to a job before its claim (scheduled messages: reschedule, edit, cancel) ----
// Each is one conditional UPDATE on `status = 'pending'`, so it and claimDue/claimByKey cannot
// both win: whichever commits first decides, the other changes no row (PostgreSQL: the claim
// skips the row this UPDATE holds locked; this UPDATE, waiting on a claim's lock, re-checks the
// status after the claim commits and finds it running). The caller makes its own change depend
// on the result, in the same transaction. false: the job is no longer pending (claimed, done,
// canceled) or does not exist; nothing changed.

// Moves the pending job `uniqueKey` to `runAt`; an invalid `runAt` keeps it and only asserts
// (and, on PostgreSQL, locks until the commit) that the job is still pending.
[[nodiscard]] Result<bool> reschedulePending(DbConnection &db, const QString &uniqueKey,
                                             const QDateTime &runAt);
// Cancels the pending job `uniqueKey` (status canceled, `reason` kept as its last error).
[[nodiscard]] Result<bool> cancelPending(DbConnection &db, const QString &uniqueKey,
                                         const QString &reason);

// ---- Jobs that may already exist (maintenance: snooze wake-ups, the periodic prune) ----

// Inserts a pending job unless one with the same unique key exists (any status); true when this
// call inserted it. No unique violation: on PostgreSQL that would abort the caller's transaction.
[[nodiscard]] Result<bool> enqueueOnce(DbConnection &db, const NewJob &job);

} // namespace JobStore
