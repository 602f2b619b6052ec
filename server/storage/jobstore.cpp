// SPDX-License-Identifier: MIT
#include "jobstore.h"

#include "core/ids.h"
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
    return id;
}

} // namespace JobStore
