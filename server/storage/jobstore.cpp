// SPDX-License-Identifier: MIT
#include "jobstore.h"

#include "core/ids.h"
#include "storage/eventstore.h"
#include "storage/sqlbinds.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace JobStore {

Result<QString> enqueue(DbConnection &db, const NewJob &job)
{
    const QString id = newId();
    const QString now = nowIso();
    Result<qint64> inserted = db.exec(
        u"INSERT INTO jobs (id, kind, payload, run_at, status, unique_key, team_id, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?)"_s,
        {id, job.kind, QString::fromUtf8(QJsonDocument(job.payload).toJson(QJsonDocument::Compact)),
         job.runAt.isValid() ? isoUtc(job.runAt) : now,
         nullableText(job.uniqueKey), nullableText(job.teamId), now, now});
    if (!inserted) {
        return inserted.error();
    }
    db.noteJobWritten();
    return id;
}

namespace {

const QString kReturning = u" RETURNING id, kind, team_id, payload, attempts, max_attempts, lease_owner"_s;

ClaimedJob claimedFrom(const SqlRow &row)
{
    ClaimedJob job;
    job.id = row.text(u"id"_s);
    job.kind = row.text(u"kind"_s);
    job.teamId = row.text(u"team_id"_s);
    job.payload = row.json(u"payload"_s).toObject();
    job.attempts = int(row.integer(u"attempts"_s));
    job.maxAttempts = int(row.integer(u"max_attempts"_s));
    job.leaseOwner = row.text(u"lease_owner"_s);
    return job;
}

QString leaseUntil(int leaseMs)
{
    return isoUtc(QDateTime::currentDateTimeUtc().addMSecs(leaseMs));
}

Result<bool> finish(DbConnection &db, const ClaimedJob &job, const QString &status,
                    const QVariant &runAt, const QString &error, const NewEvent *announce)
{
    const QString sql =
        u"UPDATE jobs SET status = ?, run_at = COALESCE(?, run_at), last_error = ?, "
        "lease_owner = NULL, lease_expires_at = NULL, updated_at = ? "
        "WHERE id = ? AND status = 'running' AND lease_owner = ?"_s;
    const QVariantList binds{status, runAt, nullableText(error.left(1000)), nowIso(), job.id,
                             job.leaseOwner};
    bool changed = false;
    if (announce) {
        Result<std::optional<qint64>> appended =
            EventStore::appendOnChange(db, sql + u" RETURNING id"_s, binds, *announce);
        if (!appended) {
            return appended.error();
        }
        changed = appended.value().has_value();
    } else {
        Result<qint64> updated = db.exec(sql, binds);
        if (!updated) {
            return updated.error();
        }
        changed = updated.value() > 0;
    }
    if (status == u"pending"_s) {
        db.noteJobWritten(); // a retry: the runner plans its next wake-up
    }
    return changed;
}

} // namespace

Result<QList<ClaimedJob>> claimDue(DbConnection &db, const QString &owner, int limit, int leaseMs)
{
    const QString now = nowIso();
    const QString lockClause = db.dialect() == Dialect::Postgres ? u" FOR UPDATE SKIP LOCKED"_s
                                                                 : QString();
    Result<SqlRows> rows = db.query(
        u"UPDATE jobs SET status = 'running', lease_owner = ?, lease_expires_at = ?, "
        "attempts = attempts + 1, updated_at = ? WHERE id IN (SELECT id FROM jobs "
        "WHERE status = 'pending' AND run_at <= ? ORDER BY run_at LIMIT ?"_s
            + lockClause + u")"_s + kReturning,
        {owner, leaseUntil(leaseMs), now, now, limit});
    if (!rows) {
        return rows.error();
    }
    QList<ClaimedJob> jobs;
    jobs.reserve(rows->size());
    for (const SqlRow &row : rows.value()) {
        jobs.append(claimedFrom(row));
    }
    return jobs;
}

Result<std::optional<ClaimedJob>> claimByKey(DbConnection &db, const QString &uniqueKey,
                                             const QString &owner, int leaseMs)
{
    Result<std::optional<SqlRow>> row = db.queryOne(
        u"UPDATE jobs SET status = 'running', lease_owner = ?, lease_expires_at = ?, "
        "attempts = attempts + 1, updated_at = ? WHERE unique_key = ? AND status = 'pending'"_s
            + kReturning,
        {owner, leaseUntil(leaseMs), nowIso(), uniqueKey});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<ClaimedJob>();
    }
    return std::optional<ClaimedJob>(claimedFrom(*row.value()));
}

Result<bool> complete(DbConnection &db, const ClaimedJob &job, const NewEvent *announce)
{
    return finish(db, job, u"done"_s, QVariant(), QString(), announce);
}

Result<bool> retry(DbConnection &db, const ClaimedJob &job, const QDateTime &runAt,
                   const QString &error, const NewEvent *announce)
{
    return finish(db, job, u"pending"_s, isoUtc(runAt), error, announce);
}

Result<bool> fail(DbConnection &db, const ClaimedJob &job, const QString &error,
                  const NewEvent *announce)
{
    return finish(db, job, u"failed"_s, QVariant(), error, announce);
}

Result<qint64> releaseExpired(DbConnection &db)
{
    return db.exec(u"UPDATE jobs SET status = 'pending', lease_owner = NULL, "
                   "lease_expires_at = NULL, updated_at = ? "
                   "WHERE status = 'running' AND lease_expires_at < ?"_s,
                   {nowIso(), nowIso()});
}

Result<std::optional<QDateTime>> nextDue(DbConnection &db)
{
    Result<std::optional<SqlRow>> row =
        db.queryOne(u"SELECT MIN(run_at) AS due FROM jobs WHERE status = 'pending'"_s);
    if (!row) {
        return row.error();
    }
    if (!row.value() || row.value()->isNull(u"due"_s)) {
        return std::optional<QDateTime>();
    }
    return std::optional<QDateTime>(row.value()->time(u"due"_s));
}

// ---- Changes to a job before its claim ----

Result<bool> reschedulePending(DbConnection &db, const QString &uniqueKey, const QDateTime &runAt)
{
    Result<qint64> changed = db.exec(
        u"UPDATE jobs SET run_at = COALESCE(?, run_at), updated_at = ? "
        "WHERE unique_key = ? AND status = 'pending'"_s,
        {nullableTime(runAt), nowIso(), uniqueKey});
    if (!changed) {
        return changed.error();
    }
    if (changed.value() > 0 && runAt.isValid()) {
        db.noteJobWritten(); // an earlier run_at: the runners plan their next wake-up again
    }
    return changed.value() > 0;
}

Result<bool> cancelPending(DbConnection &db, const QString &uniqueKey, const QString &reason)
{
    Result<qint64> changed = db.exec(
        u"UPDATE jobs SET status = 'canceled', last_error = ?, updated_at = ? "
        "WHERE unique_key = ? AND status = 'pending'"_s,
        {nullableText(reason.left(1000)), nowIso(), uniqueKey});
    if (!changed) {
        return changed.error();
    }
    return changed.value() > 0;
}

// ---- Jobs that may already exist ----

Result<bool> enqueueOnce(DbConnection &db, const NewJob &job)
{
    const QString now = nowIso();
    Result<qint64> inserted = db.exec(
        u"INSERT INTO jobs (id, kind, payload, run_at, status, unique_key, team_id, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?) "
        "ON CONFLICT (unique_key) DO NOTHING"_s,
        {newId(), job.kind,
         QString::fromUtf8(QJsonDocument(job.payload).toJson(QJsonDocument::Compact)),
         job.runAt.isValid() ? isoUtc(job.runAt) : now, job.uniqueKey, nullableText(job.teamId),
         now, now});
    if (!inserted) {
        return inserted.error();
    }
    if (inserted.value() > 0) {
        db.noteJobWritten();
    }
    return inserted.value() > 0;
}

} // namespace JobStore
