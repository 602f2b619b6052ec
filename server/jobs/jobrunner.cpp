// SPDX-License-Identifier: MIT
#include "jobrunner.h"

#include "core/ids.h"
#include "core/logging.h"
#include "storage/database.h"

#include <QCoreApplication>
#include <QHostInfo>
#include <QRandomGenerator>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMaxBackoffMs = 15 * 60 * 1000;

} // namespace

JobRunner::JobRunner(Database *db, JobRunnerSettings settings, QObject *parent)
    : QObject(parent),
      m_db(db),
      m_settings(settings),
      // Who holds a lease: readable in the table, unique per process start.
      m_owner(u"%1:%2:%3"_s.arg(QHostInfo::localHostName())
                  .arg(QCoreApplication::applicationPid())
                  .arg(newId().right(8)))
{
    m_wakeTimer.setSingleShot(true);
    connect(&m_wakeTimer, &QTimer::timeout, this, &JobRunner::claim);
    connect(&m_sweepTimer, &QTimer::timeout, this, [this] {
        m_db->run<qint64>(DbAccess::Write, &JobStore::releaseExpired, this,
                          [this](Result<qint64> released) {
                              if (released && released.value() > 0) {
                                  qCWarning(lcJobs) << "released" << released.value()
                                                    << "job(s) whose worker's lease expired";
                                  wake();
                              }
                          });
    });
}

void JobRunner::registerHandler(const QString &kind, JobHandler handler)
{
    m_handlers.insert(kind, std::move(handler));
}

void JobRunner::start()
{
    m_running = true;
    m_sweepTimer.start(m_settings.sweepMs);
    wake();
}

void JobRunner::stop()
{
    m_running = false;
    m_wakeTimer.stop();
    m_sweepTimer.stop();
}

void JobRunner::wake()
{
    if (!m_running) {
        return;
    }
    if (m_claiming) {
        m_claimAgain = true;
        return;
    }
    m_wakeTimer.start(0);
}

qint64 JobRunner::backoffMs(int attempts)
{
    const int exponent = std::clamp(attempts, 1, 20);
    const qint64 ceiling = std::min<qint64>(kMaxBackoffMs, qint64(1000) << exponent);
    // Full jitter: retries of many jobs that failed together spread out instead of stampeding.
    return 500 + QRandomGenerator::global()->bounded(ceiling);
}

void JobRunner::claim()
{
    const int room = m_settings.concurrency - m_inFlight;
    if (!m_running || m_claiming) {
        return;
    }
    if (room <= 0) {
        m_moreDue = true; // claim once jobs in flight make room
        return;
    }
    m_claiming = true;
    m_claimAgain = false;
    const QString owner = m_owner;
    const int leaseMs = m_settings.leaseMs;
    m_db->run<QList<ClaimedJob>>(
        DbAccess::Write,
        [owner, room, leaseMs](DbConnection &db) {
            return runInTransaction<QList<ClaimedJob>>(
                db, [&] { return JobStore::claimDue(db, owner, room, leaseMs); });
        },
        this, [this, room](Result<QList<ClaimedJob>> claimed) {
            m_claiming = false;
            if (!claimed) {
                qCWarning(lcJobs) << "claiming jobs failed:" << claimed.error().detail;
                m_wakeTimer.start(m_settings.pollMs);
                return;
            }
            // A full claim may have left due jobs behind: claim again as jobs finish.
            m_moreDue = claimed->size() == room;
            for (const ClaimedJob &job : claimed.value()) {
                dispatch(job, nullptr, {});
            }
            if (m_claimAgain) {
                wake(); // jobs were enqueued meanwhile
            } else if (m_moreDue) {
                refill(); // there may be more: now if jobs finished meanwhile, else as they do
            } else {
                planNextWake();
            }
        });
}

void JobRunner::refill()
{
    // Due jobs left behind are claimed a batch at a time, not one per finished job: a claim is a
    // transaction whose cost hardly depends on how many jobs it takes.
    const int batch = std::max(1, m_settings.concurrency / 4);
    if (m_moreDue && (m_settings.concurrency - m_inFlight >= batch || m_inFlight == 0)) {
        claim();
    }
}

void JobRunner::planNextWake()
{
    m_db->run<std::optional<QDateTime>>(
        DbAccess::Read, &JobStore::nextDue, this,
        [this](Result<std::optional<QDateTime>> due) {
            if (!m_running || m_claiming) {
                return;
            }
            qint64 delay = m_settings.pollMs;
            if (due && due.value()) {
                delay = std::clamp<qint64>(
                    QDateTime::currentDateTimeUtc().msecsTo(*due.value()), 0, m_settings.pollMs);
            }
            if (!m_wakeTimer.isActive() || m_wakeTimer.remainingTime() > delay) {
                m_wakeTimer.start(int(delay));
            }
        });
}

void JobRunner::runClaimed(const ClaimedJob &job, const JobHandler &handler,
                           std::function<void(const JobOutcome &)> recorded)
{
    dispatch(job, &handler, std::move(recorded));
}

void JobRunner::dispatch(const ClaimedJob &job, const JobHandler *handler,
                         std::function<void(const JobOutcome &)> recorded)
{
    ++m_inFlight;
    if (!handler) {
        const auto registered = m_handlers.constFind(job.kind);
        if (registered == m_handlers.cend()) {
            record(job, JobOutcome::fail(u"no handler for job kind "_s + job.kind), recorded);
            return;
        }
        handler = &registered.value();
    }
    auto once = std::make_shared<bool>(false);
    (*handler)(job, [this, job, once, recorded](JobOutcome outcome) {
        if (std::exchange(*once, true)) {
            qCWarning(lcJobs) << "job" << job.id << "finished twice; ignored";
            return;
        }
        record(job, outcome, recorded);
    });
}

Result<bool> JobRunner::applyOutcome(DbConnection &db, const ClaimedJob &job, JobOutcome &outcome,
                                     const NewEvent *announce)
{
    if (outcome.kind == JobOutcome::Kind::Retry && job.attempts >= job.maxAttempts) {
        outcome = JobOutcome::fail(outcome.error + u" (gave up after %1 attempts)"_s.arg(job.attempts));
    }
    outcome.alreadyRecorded = true;
    switch (outcome.kind) {
    case JobOutcome::Kind::Done:
        return JobStore::complete(db, job, announce);
    case JobOutcome::Kind::Retry: {
        const qint64 delay = outcome.delayMs >= 0 ? outcome.delayMs : backoffMs(job.attempts);
        return JobStore::retry(db, job, QDateTime::currentDateTimeUtc().addMSecs(delay),
                               outcome.error, announce);
    }
    case JobOutcome::Kind::Fail:
        return JobStore::fail(db, job, outcome.error, announce);
    }
    return false;
}

void JobRunner::record(const ClaimedJob &job, const JobOutcome &given,
                       std::function<void(const JobOutcome &)> recorded)
{
    const auto finished = [this, job, recorded](const Result<bool> &kept, const JobOutcome &outcome) {
        --m_inFlight;
        if (!kept) {
            qCWarning(lcJobs) << "recording job" << job.id << "failed:" << kept.error().detail;
        } else if (!kept.value()) {
            qCWarning(lcJobs) << "job" << job.id << "lost its lease before it finished";
        } else if (outcome.kind == JobOutcome::Kind::Fail) {
            qCWarning(lcJobs).noquote() << "job" << job.id << job.kind << "failed:" << outcome.error;
        }
        if (recorded) {
            recorded(outcome);
        }
        refill();
    };
    if (given.alreadyRecorded) {
        finished(true, given);
        return;
    }
    auto outcome = std::make_shared<JobOutcome>(given);
    m_db->runGrouped<bool>(
        job.id,
        [job, outcome](DbConnection &db) -> Result<bool> {
            // A fresh copy each run: a grouped job may run twice.
            JobOutcome attempt = *outcome;
            Result<bool> kept = runInTransaction<bool>(db, [&] { return applyOutcome(db, job, attempt); });
            if (kept) {
                *outcome = attempt;
            }
            return kept;
        },
        this, [outcome, finished](Result<bool> kept) { finished(kept, *outcome); });
}
