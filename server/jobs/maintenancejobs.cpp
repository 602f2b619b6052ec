// SPDX-License-Identifier: MIT
#include "maintenancejobs.h"

#include "core/logging.h"
#include "domain/conversations/snoozewake.h"
#include "storage/database.h"
#include "storage/jobstore.h"
#include "storage/maintenancestore.h"

#include <QElapsedTimer>

#include <array>

using namespace Qt::StringLiterals;

namespace {

// The steps of one run, in order. The next slot is enqueued first, so a run that fails later
// still leaves the chain going.
enum Step { ScheduleNext, Events, WebhookReceipts, FinishedJobs, DeadSignIns, OverdueSnoozes,
            StepCount };

NewJob pruneJob(const QDateTime &runAt, const QString &uniqueKey)
{
    return NewJob{QString::fromLatin1(MaintenanceJobs::PruneJobKind), {}, runAt, uniqueKey, {}};
}

QString slotKey(const QDateTime &slot)
{
    return u"maintenance:prune:"_s + isoUtc(slot);
}

} // namespace

struct MaintenanceJobs::Run
{
    ClaimedJob job;
    JobFinish finish;
    QDateTime now; // the cut-offs are taken from the start of the run
    QElapsedTimer elapsed;
    int step = ScheduleNext;
    std::array<qint64, StepCount> counts{};
};

MaintenanceJobs::MaintenanceJobs(Database *db, MaintenanceSettings settings, QObject *parent)
    : QObject(parent), m_db(db), m_settings(settings)
{
    m_slotTimer.setSingleShot(true);
    connect(&m_slotTimer, &QTimer::timeout, this, &MaintenanceJobs::ensureScheduled);
}

QDateTime MaintenanceJobs::slotStart(const QDateTime &time, int intervalSeconds)
{
    const qint64 secs = time.toSecsSinceEpoch();
    const qint64 interval = std::max(1, intervalSeconds);
    return QDateTime::fromSecsSinceEpoch(secs - secs % interval, Qt::UTC);
}

void MaintenanceJobs::registerWith(JobRunner *runner)
{
    m_budgetMs = std::max(1000, runner->leaseMs() / 2);
    runner->registerHandler(QString::fromLatin1(PruneJobKind),
                            [this](const ClaimedJob &job, JobFinish finish) {
                                run(job, std::move(finish));
                            });
    ensureScheduled();
}

void MaintenanceJobs::ensureScheduled()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime slot = slotStart(now, m_settings.intervalSeconds);
    m_db->run<bool>(
        DbAccess::Write,
        [slot](DbConnection &db) {
            return runInTransaction<bool>(
                db, [&] { return JobStore::enqueueOnce(db, pruneJob(slot, slotKey(slot))); });
        },
        this, [](Result<bool> enqueued) {
            if (!enqueued) {
                qCWarning(lcJobs) << "could not enqueue the maintenance run:"
                                  << enqueued.error().detail;
            }
        });
    // Again just after the next slot begins: normally the last run enqueued it already.
    const QDateTime next = slot.addSecs(m_settings.intervalSeconds);
    m_slotTimer.start(int(std::min<qint64>(now.msecsTo(next) + 1000, 24 * 3600 * 1000)));
}

void MaintenanceJobs::run(const ClaimedJob &job, JobFinish finish)
{
    auto run = std::make_shared<Run>();
    run->job = job;
    run->finish = std::move(finish);
    run->now = QDateTime::currentDateTimeUtc();
    run->elapsed.start();
    step(run);
}

void MaintenanceJobs::step(const std::shared_ptr<Run> &run)
{
    const MaintenanceSettings s = m_settings;
    const QDateTime now = run->now;
    const QDateTime eventCutoff = now.addSecs(-qint64(s.eventRetentionSeconds));
    const QDateTime receiptCutoff = now.addSecs(-qint64(s.webhookReceiptRetentionSeconds));
    std::function<Result<qint64>(DbConnection &)> work;
    switch (run->step) {
    case ScheduleNext:
        work = [next = slotStart(now, s.intervalSeconds).addSecs(s.intervalSeconds)](
                   DbConnection &db) -> Result<qint64> {
            Result<bool> enqueued = JobStore::enqueueOnce(db, pruneJob(next, slotKey(next)));
            if (!enqueued) {
                return enqueued.error();
            }
            return qint64(enqueued.value() ? 1 : 0);
        };
        break;
    case Events:
        work = [eventCutoff, s](DbConnection &db) {
            return MaintenanceStore::pruneEvents(db, eventCutoff, s.batchSize);
        };
        break;
    case WebhookReceipts:
        work = [receiptCutoff, s](DbConnection &db) {
            return MaintenanceStore::pruneWebhookReceipts(db, receiptCutoff, s.batchSize);
        };
        break;
    case FinishedJobs:
        work = [eventCutoff, s](DbConnection &db) {
            return MaintenanceStore::pruneFinishedJobs(db, eventCutoff, s.batchSize);
        };
        break;
    case DeadSignIns:
        work = [eventCutoff, s](DbConnection &db) {
            return MaintenanceStore::pruneDeadSignIns(db, eventCutoff, s.batchSize);
        };
        break;
    case OverdueSnoozes:
        work = [s](DbConnection &db) -> Result<qint64> {
            Result<int> woken = SnoozeWake::wakeOverdue(db, s.snoozeBatchSize);
            if (!woken) {
                return woken.error();
            }
            return qint64(woken.value());
        };
        break;
    default:
        return finishRun(run);
    }
    m_db->run<qint64>(
        DbAccess::Write,
        [work = std::move(work)](DbConnection &db) {
            return runInTransaction<qint64>(db, [&] { return work(db); });
        },
        this, [this, run](Result<qint64> result) { stepDone(run, std::move(result)); });
}

void MaintenanceJobs::stepDone(const std::shared_ptr<Run> &run, Result<qint64> result)
{
    if (!result) {
        return run->finish(JobOutcome::retry(result.error().detail));
    }
    run->counts[run->step] += result.value();
    const int limit = run->step == OverdueSnoozes ? m_settings.snoozeBatchSize
                                                  : m_settings.batchSize;
    const bool more = run->step != ScheduleNext && result.value() >= limit;
    if (!more) {
        ++run->step;
        return step(run);
    }
    if (run->elapsed.elapsed() < m_budgetMs) {
        return step(run); // the same step again: a new short write, behind whatever queued
    }
    // Still more after half the lease: a fresh job carries on rather than this one outliving its
    // lease (another worker would then take it over and run it twice at once).
    m_db->run<bool>(
        DbAccess::Write,
        [key = u"maintenance:prune:more:"_s + run->job.id](DbConnection &db) {
            return runInTransaction<bool>(db, [&] {
                return JobStore::enqueueOnce(db, pruneJob(QDateTime::currentDateTimeUtc(), key));
            });
        },
        this, [this, run](Result<bool> enqueued) {
            if (!enqueued) {
                return run->finish(JobOutcome::retry(enqueued.error().detail));
            }
            finishRun(run);
        });
}

void MaintenanceJobs::finishRun(const std::shared_ptr<Run> &run)
{
    const auto &c = run->counts;
    if (c[Events] + c[WebhookReceipts] + c[FinishedJobs] + c[DeadSignIns] + c[OverdueSnoozes] > 0) {
        qCInfo(lcJobs).nospace() << "maintenance: pruned " << c[Events] << " event(s), "
                                 << c[WebhookReceipts] << " webhook receipt(s), "
                                 << c[FinishedJobs] << " finished job(s), " << c[DeadSignIns]
                                 << " expired refresh token(s); woke " << c[OverdueSnoozes]
                                 << " overdue snooze(s) in " << run->elapsed.elapsed() << " ms";
    }
    run->finish(JobOutcome::done());
}
