// SPDX-License-Identifier: MIT
#pragma once
// Runs the durable jobs of the `jobs` table: claims due jobs under a lease, hands each to the
// handler of its kind, and records the outcome (done, retry later with backoff, failed for
// good). Woken at once when a commit enqueues jobs, at the next due run_at, and by a slow poll
// (jobs enqueued by another instance). A lease that expires (its worker died) is released so the
// job runs again; handlers must therefore be safe to run twice (the delivery reconciles first).
//
// Lives on the main thread; handlers are asynchronous and call `finish` exactly once.

#include "storage/jobstore.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

class Database;

struct JobOutcome
{
    enum class Kind { Done, Retry, Fail };
    Kind kind = Kind::Done;
    QString error;
    qint64 delayMs = -1; // Retry: -1 lets the runner pick the backoff
    // The handler already wrote this outcome to the job in its own last transaction (with
    // JobRunner::applyOutcome), saving the runner a transaction of its own.
    bool alreadyRecorded = false;

    [[nodiscard]] static JobOutcome done() { return {}; }
    [[nodiscard]] static JobOutcome retry(QString error, qint64 delayMs = -1)
    {
        return {Kind::Retry, std::move(error), delayMs};
    }
    [[nodiscard]] static JobOutcome fail(QString error) { return {Kind::Fail, std::move(error), -1}; }
};

using JobFinish = std::function<void(JobOutcome)>;
using JobHandler = std::function<void(const ClaimedJob &job, JobFinish finish)>;

struct JobRunnerSettings
{
    int concurrency = 64;    // jobs in flight at once
    int leaseMs = 60'000;    // a claimed job is this instance's for so long
    int pollMs = 5'000;      // the slow poll for other instances' jobs
    int sweepMs = 15'000;    // how often expired leases are released
};

class JobRunner : public QObject
{
    Q_OBJECT
public:
    JobRunner(Database *db, JobRunnerSettings settings, QObject *parent = nullptr);

    void registerHandler(const QString &kind, JobHandler handler);
    void start();
    void stop();

    // A commit enqueued jobs: claim now.
    void wake();
    // Runs a job this instance claimed itself (JobStore::claimByKey) with `handler`, then records
    // its outcome like any other; `recorded` runs after that with the outcome.
    void runClaimed(const ClaimedJob &job, const JobHandler &handler,
                    std::function<void(const JobOutcome &)> recorded);

    [[nodiscard]] const QString &owner() const { return m_owner; }
    [[nodiscard]] int leaseMs() const { return m_settings.leaseMs; }
    [[nodiscard]] int inFlight() const { return m_inFlight; }

    // Exponential backoff with full jitter: attempt 1 → up to 2 s, 2 → 4 s, ... capped at 15 min.
    [[nodiscard]] static qint64 backoffMs(int attempts);
    // Writes `outcome` to the job in the caller's transaction (a retry past max_attempts becomes
    // a failure; `outcome` is updated to what was written) and marks it alreadyRecorded. False
    // when the lease was lost meanwhile: nothing was written. `announce`: an event appended by
    // the same statement unless the lease was lost (JobStore::complete).
    [[nodiscard]] static Result<bool> applyOutcome(DbConnection &db, const ClaimedJob &job,
                                                   JobOutcome &outcome,
                                                   const NewEvent *announce = nullptr);

private:
    void claim();
    // After a job finished: claims more when due jobs were left behind and there is room for a
    // batch of them.
    void refill();
    void planNextWake();
    void dispatch(const ClaimedJob &job, const JobHandler *handler,
                  std::function<void(const JobOutcome &)> recorded);
    void record(const ClaimedJob &job, const JobOutcome &outcome,
                std::function<void(const JobOutcome &)> recorded);

    Database *m_db;
    JobRunnerSettings m_settings;
    QString m_owner;
    QHash<QString, JobHandler> m_handlers;
    QTimer m_wakeTimer;
    QTimer m_sweepTimer;
    int m_inFlight = 0;
    bool m_claiming = false;
    bool m_claimAgain = false;
    bool m_moreDue = false; // the last claim was cut short by the room left
    bool m_running = false;
};
