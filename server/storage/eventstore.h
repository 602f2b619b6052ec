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

// An event to append (EventStore::appendOnChange).
struct NewEvent
{
    QString teamId;
    QString type;
    QJsonObject payload;
};

namespace EventStore {

// Appends an event in the open transaction; returns its id.
[[nodiscard]] Result<qint64> append(DbConnection &db, const QString &teamId, const QString &type,
                                    const QJsonObject &payload);
// A change and the event that announces it, in one round trip where the dialect allows:
// `change` is an UPDATE or INSERT ending in a RETURNING clause that changes at most one row, and
// `event` is appended only if it changed one. PostgreSQL runs both as one statement (a
// data-modifying WITH); SQLite, which has no such WITH, one after the other. Returns the event's
// id, or nullopt when `change` changed no row (and nothing was appended).
[[nodiscard]] Result<std::optional<qint64>> appendOnChange(DbConnection &db, const QString &change,
                                                           const QVariantList &changeBinds,
                                                           const NewEvent &event);
// Events with id > afterId, oldest first, at most `limit`.
[[nodiscard]] Result<QList<StoredEvent>> after(DbConnection &db, qint64 afterId, int limit);

} // namespace EventStore
