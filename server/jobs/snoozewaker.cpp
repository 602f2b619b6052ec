// SPDX-License-Identifier: MIT
#include "snoozewaker.h"

#include "core/logging.h"
#include "domain/conversations/snoozewake.h"
#include "storage/database.h"

using namespace Qt::StringLiterals;

SnoozeWaker::SnoozeWaker(Database *db, QObject *parent) : QObject(parent), m_db(db)
{
}

void SnoozeWaker::registerWith(JobRunner *runner)
{
    runner->registerHandler(QString::fromLatin1(SnoozeWake::JobKind),
                            [this](const ClaimedJob &job, JobFinish finish) {
                                run(job, std::move(finish));
                            });
}

void SnoozeWaker::run(const ClaimedJob &job, JobFinish finish)
{
    const QString teamId = job.payload.value(u"teamId"_s).toString();
    const QString conversationId = job.payload.value(u"conversationId"_s).toString();
    if (teamId.isEmpty() || conversationId.isEmpty()) {
        return finish(JobOutcome::fail(u"payload names no conversation"_s));
    }
    m_db->run<bool>(
        DbAccess::Write,
        [teamId, conversationId](DbConnection &db) {
            return runInTransaction<bool>(
                db, [&] { return SnoozeWake::wakeIfDue(db, teamId, conversationId); });
        },
        this, [finish, conversationId](Result<bool> woken) {
            if (!woken) {
                return finish(JobOutcome::retry(woken.error().detail));
            }
            if (woken.value()) {
                qCDebug(lcJobs) << "conversation" << conversationId << "woke from its snooze";
            }
            finish(JobOutcome::done());
        });
}
