// SPDX-License-Identifier: MIT
#pragma once
// The transactional outbox (ARCHITECTURE.md "Events"): a change that others should see appends
// an `events` row in the same transaction. After the commit, Database::eventsCommitted tells
// the dispatcher how far to read.

#include "core/result.h"
#include "storage/dbconnection.h"

#include <QJsonObject>

struct StoredEvent
{
    qint64 id = 0;
    QString teamId;
    QString type;
    QJsonObject payload;
    QDateTime createdAt;
};

namespace EventStore {

// Appends an event in the open transaction; returns its id.
[[nodiscard]] Result<qint64> append(DbConnection &db, const QString &teamId, const QString &type,
                                    const QJsonObject &payload);
// Events with id > afterId, oldest first, at most `limit`.
[[nodiscard]] Result<QList<StoredEvent>> after(DbConnection &db, qint64 afterId, int limit);

} // namespace EventStore
