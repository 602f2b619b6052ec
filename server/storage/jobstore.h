// SPDX-License-Identifier: MIT
#pragma once
// SQL for the durable job queue. For now only enqueueing: a use case writes its job in the same
// transaction as the change that needs it (a message and its send job commit together or not at
// all). Claiming, leases and retries belong to the job runner.

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

namespace JobStore {

// Inserts a pending job; returns its id. A second job with the same unique key is a unique
// violation (isUniqueViolation), never a duplicate.
[[nodiscard]] Result<QString> enqueue(DbConnection &db, const NewJob &job);

} // namespace JobStore
