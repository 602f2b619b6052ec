// SPDX-License-Identifier: MIT
#pragma once
// The `conversation.wake` job (domain/conversations/snoozewake.h): at a snooze's end, opens the
// conversation if it is still snoozed until then, with a `conversation.updated` event. A job
// whose snooze was moved or ended finds nothing to do and is done.

#include "jobs/jobrunner.h"

#include <QObject>

class Database;

class SnoozeWaker : public QObject
{
    Q_OBJECT
public:
    explicit SnoozeWaker(Database *db, QObject *parent = nullptr);

    // Registers the handler of SnoozeWake::JobKind.
    void registerWith(JobRunner *runner);

    void run(const ClaimedJob &job, JobFinish finish);

private:
    Database *m_db;
};
