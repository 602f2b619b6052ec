// SPDX-License-Identifier: MIT
#include "importwriter.h"

#include "config/secretstore.h"
#include "core/logging.h"
#include "storage/database.h"
#include "storage/dbconnection.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace {

// SQLite allows 32766 bound values per statement; PostgreSQL 65535.
constexpr int kMaxBinds = 30000;

QString placeholders(qsizetype count)
{
    QString text;
    text.reserve(count * 3);
    for (qsizetype i = 0; i < count; ++i) {
        text += i == 0 ? u"?"_s : u", ?"_s;
    }
    return text;
}

// How each kind of unique value is looked up in the target: (holder id, compared value) for
// the probes bound to %1.
QString uniqueLookup(const QString &kind)
{
    static const QHash<QString, QString> sql = {
        {u"email"_s, u"SELECT id, email AS k FROM users WHERE email IN (%1)"_s},
        {u"google_sub"_s, u"SELECT id, google_sub AS k FROM users WHERE google_sub IN (%1)"_s},
        {u"member"_s,
         u"SELECT id, team_id || '|' || user_id AS k FROM team_members WHERE user_id IN (%1)"_s},
        {u"phone"_s,
         u"SELECT id, team_id || '|' || phone AS k FROM contacts "
         "WHERE merged_into IS NULL AND phone IN (%1)"_s},
        {u"provider_sid"_s,
         u"SELECT id, provider_sid AS k FROM messages "
         "WHERE provider = 'twilio' AND provider_sid IN (%1)"_s},
        {u"inbox"_s,
         u"SELECT id, team_id || '|' || channel || '|' || address AS k FROM inboxes "
         "WHERE address IN (%1)"_s},
        {u"twilio_user"_s,
         u"SELECT user_id AS id, user_id AS k FROM user_twilio_numbers WHERE user_id IN (%1)"_s},
        {u"verified_number"_s,
         u"SELECT user_id AS id, twilio_number AS k FROM user_twilio_numbers "
         "WHERE verified_at IS NOT NULL AND twilio_number IN (%1)"_s},
    };
    return sql.value(kind);
}

// Runs `sql` (with %1 for the probes) in chunks; calls `take` with each row.
Status lookUp(DbConnection &c, const QString &sql, const QStringList &probes,
              const std::function<void(const SqlRow &)> &take)
{
    for (qsizetype start = 0; start < probes.size(); start += kMaxBinds) {
        const QStringList chunk = probes.mid(start, kMaxBinds);
        QVariantList binds;
        binds.reserve(chunk.size());
        for (const QString &probe : chunk) {
            binds.append(probe);
        }
        Result<SqlRows> rows = c.query(sql.arg(placeholders(chunk.size())), binds);
        if (!rows) {
            return rows.error();
        }
        for (const SqlRow &row : rows.value()) {
            take(row);
        }
    }
    return Done{};
}

Status insertRows(DbConnection &c, const TargetTable &table,
                  const QList<const QVariantList *> &rows)
{
    const qsizetype columns = table.columns.size();
    const qsizetype perStatement = std::max<qsizetype>(1, kMaxBinds / columns);
    const QString tuple = u"("_s + placeholders(columns) + u")"_s;
    for (qsizetype start = 0; start < rows.size(); start += perStatement) {
        const qsizetype count = std::min(perStatement, rows.size() - start);
        QString sql = u"INSERT INTO "_s + table.name + u" ("_s + table.columns.join(u", "_s)
            + u") VALUES "_s;
        QVariantList binds;
        binds.reserve(count * columns);
        for (qsizetype i = 0; i < count; ++i) {
            sql += i == 0 ? tuple : u", "_s + tuple;
            binds.append(*rows.at(start + i));
        }
        if (Result<qint64> inserted = c.exec(sql, binds); !inserted) {
            return inserted.error();
        }
    }
    return Done{};
}

} // namespace

ImportWriter::ImportWriter(Database *db, const SecretStore *secrets, bool dryRun)
    : m_db(db), m_secrets(secrets), m_dryRun(dryRun)
{ }

Result<BatchOutcome> ImportWriter::write(const QString &label, const QString &existsSql,
                                         const QList<MappedRow> &rows, ImportState &state)
{
    if (!m_db) {
        return writeOn(nullptr, label, existsSql, rows, state);
    }
    return m_db->runBlocking<BatchOutcome>(
        m_dryRun ? DbAccess::Read : DbAccess::Write, [&](DbConnection &c) -> Result<BatchOutcome> {
            if (m_dryRun) {
                return writeOn(&c, label, existsSql, rows, state);
            }
            QStringList written; // secrets stored for this batch
            Transaction transaction(c);
            if (Status begun = transaction.begin(); !begun) {
                return begun.error();
            }
            Result<BatchOutcome> outcome = writeOn(&c, label, existsSql, rows, state);
            if (!outcome) {
                return outcome;
            }
            for (qsizetype i = 0; i < rows.size(); ++i) {
                if (outcome->fates.at(i) != RowFate::Imported) {
                    continue;
                }
                for (const auto &[ref, secret] : rows.at(i).secrets) {
                    if (Status put = m_secrets->put(ref, secret); !put) {
                        for (const QString &done : std::as_const(written)) {
                            (void)m_secrets->remove(done);
                        }
                        return put.error();
                    }
                    written.append(ref);
                }
            }
            if (Status committed = transaction.commit(); !committed) {
                for (const QString &done : std::as_const(written)) {
                    (void)m_secrets->remove(done);
                }
                return committed.error();
            }
            return outcome;
        });
}

Result<BatchOutcome> ImportWriter::writeOn(DbConnection *c, const QString &label,
                                           const QString &existsSql, const QList<MappedRow> &rows,
                                           ImportState &state)
{
    // What the target has already.
    QSet<QString> existing;
    QHash<QString, QHash<QString, QString>> holders; // kind → value → target id holding it
    if (c) {
        QStringList probes;
        QHash<QString, QStringList> keyProbes;
        for (const MappedRow &row : rows) {
            if (row.rejected()) {
                continue;
            }
            probes.append(row.existsProbe);
            for (const UniqueKey &key : row.keys) {
                keyProbes[key.kind].append(key.probe);
            }
        }
        if (Status found = lookUp(*c, existsSql, probes,
                                  [&](const SqlRow &r) { existing.insert(r.text(u"id"_s)); });
            !found) {
            return found.error();
        }
        for (auto it = keyProbes.cbegin(); it != keyProbes.cend(); ++it) {
            QHash<QString, QString> &byValue = holders[it.key()];
            if (Status found
                = lookUp(*c, uniqueLookup(it.key()), it.value(),
                         [&](const SqlRow &r) { byValue.insert(r.text(u"k"_s), r.text(u"id"_s)); });
                !found) {
                return found.error();
            }
        }
    }

    BatchOutcome outcome;
    outcome.fates.reserve(rows.size());
    // Rows to insert, per table, in the order the tables first appear (parents first).
    QList<const TargetTable *> tableOrder;
    QHash<const TargetTable *, QList<const QVariantList *>> toInsert;
    for (const MappedRow &row : rows) {
        if (row.rejected()) {
            outcome.fates.append(RowFate::Rejected);
            outcome.rejections.append({label, row.sourceId, row.rejectReason});
            continue;
        }
        const bool present = existing.contains(row.existsProbe);
        QString conflict;
        const UniqueKey *given = nullptr; // an optional key someone else holds
        if (!present) {
            for (const UniqueKey &key : row.keys) {
                QString problem;
                const QString holder = holders.value(key.kind).value(key.value);
                const QString earlier = state.taken.value(key.kind).value(key.value);
                if (!holder.isEmpty() && (key.self.isEmpty() || holder != key.self)) {
                    problem = u"%1 is already used by %2 in the target"_s.arg(key.what, holder);
                } else if (!earlier.isEmpty() && earlier != row.sourceId) {
                    problem = u"%1 is also used by %2 (imported first)"_s.arg(key.what, earlier);
                }
                if (problem.isEmpty()) {
                    continue;
                }
                if (key.optional && !row.fallback.isEmpty() && !given) {
                    given = &key;
                    outcome.notices.append(
                        {label, row.sourceId, row.fallbackNotice + u": "_s + problem});
                    continue;
                }
                conflict = problem;
                break;
            }
        }
        if (!conflict.isEmpty()) {
            if (given) {
                outcome.notices.removeLast();
            }
            outcome.fates.append(RowFate::Rejected);
            outcome.rejections.append({label, row.sourceId, conflict});
            continue;
        }
        for (const UniqueKey &key : row.keys) {
            if (&key != given) {
                state.taken[key.kind].insert(key.value, row.sourceId);
            }
        }
        if (present) {
            outcome.fates.append(RowFate::Present);
            continue;
        }
        outcome.fates.append(RowFate::Imported);
        for (const TargetInsert &insert : given ? row.fallback : row.inserts) {
            if (!toInsert.contains(insert.table)) {
                tableOrder.append(insert.table);
            }
            toInsert[insert.table].append(&insert.values);
        }
    }

    if (c && !m_dryRun) {
        for (const TargetTable *table : std::as_const(tableOrder)) {
            if (Status inserted = insertRows(*c, *table, toInsert.value(table)); !inserted) {
                qCWarning(lcApp) << "import: writing" << table->name << "failed";
                return inserted.error();
            }
        }
    }
    return outcome;
}
