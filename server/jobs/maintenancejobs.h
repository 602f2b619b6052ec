// SPDX-License-Identifier: MIT
#pragma once
// The `maintenance.prune` job: deletes outbox events and finished jobs older than
// EVENT_RETENTION, webhook receipts older than WEBHOOK_RECEIPT_RETENTION and sign-ins (refresh
// token families) dead for longer than EVENT_RETENTION, and wakes any snooze that is over but
// was missed (its own job normally does it on time). Deletes go in bounded batches, each its own
// short write, so a large backlog never holds the writer for long.
//
// Runs once per MAINTENANCE_INTERVAL slot across every instance on the database: slots are
// aligned to the epoch and the job's unique key names its slot (maintenance:prune:<slot>), so
// only one insert per slot wins. Each run enqueues the next slot's; every instance also
// enqueues the current slot's at start and at each slot boundary, which restarts the chain
// after a run that failed for good.

#include "jobs/jobrunner.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <memory>

class Database;

struct MaintenanceSettings
{
    int eventRetentionSeconds = 7 * 86400;
    int webhookReceiptRetentionSeconds = 30 * 86400;
    int intervalSeconds = 3600;
    int batchSize = 5000;      // rows per delete statement
    int snoozeBatchSize = 500; // overdue snoozes woken per transaction
};

class MaintenanceJobs : public QObject
{
    Q_OBJECT
public:
    static constexpr char PruneJobKind[] = "maintenance.prune";

    MaintenanceJobs(Database *db, MaintenanceSettings settings, QObject *parent = nullptr);

    // Registers the handler and enqueues the current slot's run (unless it exists).
    void registerWith(JobRunner *runner);

    void run(const ClaimedJob &job, JobFinish finish);

    // The start of the slot holding `time`: a multiple of the interval since the epoch, the same
    // on every instance.
    [[nodiscard]] static QDateTime slotStart(const QDateTime &time, int intervalSeconds);

private:
    struct Run;
    void ensureScheduled();
    void step(const std::shared_ptr<Run> &run);
    void stepDone(const std::shared_ptr<Run> &run, Result<qint64> result);
    void finishRun(const std::shared_ptr<Run> &run);

    Database *m_db;
    MaintenanceSettings m_settings;
    qint64 m_budgetMs = 30'000; // a run hands over to a new job after this (half the lease)
    QTimer m_slotTimer;
};
