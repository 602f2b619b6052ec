// SPDX-License-Identifier: MIT
#include "importer.h"

#include "config/secretstore.h"
#include "importer/importmapping.h"
#include "importer/importprogress.h"
#include "importer/importsource.h"
#include "importer/importwriter.h"
#include "storage/database.h"
#include "storage/migrator.h"

#include <QFileInfo>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

// One unit of the source and how its rows come in.
struct Step
{
    QList<SourceQuery> queries; // read one after the other, counted as one table
    QString existsSql;
    std::function<MappedRow(const SqlRow &)> map;
    // What later steps need to know of a row the target now has (imported or present).
    std::function<void(const SqlRow &)> remember;
};

QString byId(const QString &table)
{
    return u"SELECT id FROM "_s + table + u" WHERE id IN (%1)"_s;
}

QString byImportedRow(const QString &unit)
{
    return u"SELECT source_id AS id FROM imported_rows WHERE source_table = '"_s + unit
        + u"' AND source_id IN (%1)"_s;
}

// The target as a dry run may see it: nullptr when it does not exist yet or is not migrated
// (a dry run creates nothing: it then counts every row as to be imported).
Result<std::unique_ptr<Database>> openTarget(const ImportOptions &options)
{
    const QString &url = options.targetUrl;
    if (options.dryRun && url.startsWith(u"sqlite:"_s)) {
        QString path = url.mid(int(qstrlen("sqlite:")));
        if (path.startsWith(u"//"_s)) {
            path = path.mid(2);
        }
        if (!QFileInfo::exists(path)) {
            return std::unique_ptr<Database>();
        }
    }
    Result<std::unique_ptr<Database>> db = Database::open(url, 1);
    if (!db) {
        return db.error();
    }
    const Dialect dialect = db.value()->dialect();
    if (options.dryRun) {
        Result<int> pending
            = db.value()->runBlocking<int>(DbAccess::Read, [dialect](DbConnection &c) {
                  return Migrator(dialect).pending(c.database());
              });
        if (!pending) {
            return pending.error();
        }
        if (pending.value() > 0) {
            return std::unique_ptr<Database>();
        }
        return db;
    }
    Result<QStringList> applied
        = db.value()->runBlocking<QStringList>(DbAccess::Write, [dialect](DbConnection &c) {
              return Migrator(dialect).apply(c.database());
          });
    if (!applied) {
        return applied.error();
    }
    return db;
}

} // namespace

Importer::Importer(ImportOptions options, ImportProgress *progress)
    : m_options(std::move(options)), m_progress(progress)
{ }

Result<ImportSummary> Importer::run()
{
    ImportSource source;
    if (Status opened = source.open(m_options.sourceUrl); !opened) {
        return opened.error();
    }
    Result<std::unique_ptr<Database>> target = openTarget(m_options);
    if (!target) {
        return target.error();
    }
    const SecretStore secrets(m_options.secretsFolder);
    ImportWriter writer(target.value().get(), &secrets, m_options.dryRun);
    ImportState state;
    const QString region = m_options.region;

    const QList<Step> steps = {
        {{ImportSource::users()},
         byId(u"users"_s),
         &ImportMapping::user,
         [&state](const SqlRow &r) { state.users.insert(r.text(u"id"_s)); }},
        {{ImportSource::teams()},
         byId(u"teams"_s),
         &ImportMapping::team,
         [&state](const SqlRow &r) { state.teams.insert(r.text(u"id"_s), r.text(u"name"_s)); }},
        {{ImportSource::members()},
         byId(u"team_members"_s),
         [&state](const SqlRow &r) { return ImportMapping::member(r, state); },
         [&state](const SqlRow &r) {
             // The first team, as the compatible routes pick it: earliest membership, then id.
             const std::pair<QString, QString> candidate{r.text(u"created_at"_s),
                                                         r.text(u"team_id"_s)};
             auto it = state.firstTeam.find(r.text(u"user_id"_s));
             if (it == state.firstTeam.end()) {
                 state.firstTeam.insert(r.text(u"user_id"_s), candidate);
             } else if (candidate < *it) {
                 *it = candidate;
             }
         }},
        {{ImportSource::twilioSettings()},
         byImportedRow(u"User.twilio"_s),
         [&state](const SqlRow &r) { return ImportMapping::twilioSettings(r, state); },
         {}},
        {{ImportSource::liveContacts(), ImportSource::mergedContacts()},
         byId(u"contacts"_s),
         [&state, region](const SqlRow &r) { return ImportMapping::contact(r, state, region); },
         [&state](const SqlRow &r) {
             state.contactTeam.insert(r.text(u"id"_s), r.text(u"team_id"_s));
         }},
        {{ImportSource::conversations()},
         byId(u"conversations"_s),
         [&state](const SqlRow &r) { return ImportMapping::conversation(r, state); },
         [&state](const SqlRow &r) {
             state.conversations.insert(ImportMapping::conversationId(
                 r.text(u"contact_id"_s), r.text(u"channel"_s).toLower()));
         }},
        {{ImportSource::messages()},
         byId(u"messages"_s),
         [&state](const SqlRow &r) { return ImportMapping::message(r, state); },
         {}},
        {{ImportSource::notes()},
         byId(u"notes"_s),
         [&state](const SqlRow &r) { return ImportMapping::note(r, state); },
         {}},
        {{ImportSource::events()},
         byId(u"imported_events"_s),
         [&state](const SqlRow &r) { return ImportMapping::event(r, state); },
         {}},
    };

    ImportSummary summary;
    for (const Step &step : steps) {
        TableCounts counts;
        counts.table = step.queries.first().label;
        qint64 total = 0;
        for (const SourceQuery &query : step.queries) {
            Result<qint64> n = source.count(query);
            if (!n) {
                return n.error();
            }
            total += n.value();
        }
        m_progress->begin(counts.table, total);
        QList<Rejection> rejections;
        QList<Rejection> notices;
        for (const SourceQuery &query : step.queries) {
            QString after;
            for (;;) {
                Result<SqlRows> page = source.page(query, after, m_options.batchSize);
                if (!page) {
                    return page.error();
                }
                if (page->isEmpty()) {
                    break;
                }
                bool lastPage = page->size() < m_options.batchSize;
                if (query.groupPrefix > 0) {
                    // This group only: the next one's rows are mapped once this one is written.
                    const QString group = page->first().text(u"k"_s).left(query.groupPrefix);
                    qsizetype keep = 1;
                    while (keep < page->size()
                           && page->at(keep).text(u"k"_s).left(query.groupPrefix) == group) {
                        ++keep;
                    }
                    if (keep < page->size()) {
                        page.value() = page->mid(0, keep);
                        lastPage = false;
                    }
                }
                QList<MappedRow> mapped;
                mapped.reserve(page->size());
                for (const SqlRow &row : page.value()) {
                    mapped.append(step.map(row));
                }
                Result<BatchOutcome> outcome
                    = writer.write(counts.table, step.existsSql, mapped, state);
                if (!outcome) {
                    return outcome.error();
                }
                for (qsizetype i = 0; i < page->size(); ++i) {
                    const RowFate fate = outcome->fates.at(i);
                    if (fate == RowFate::Rejected) {
                        ++counts.rejected;
                        continue;
                    }
                    ++(fate == RowFate::Imported ? counts.imported : counts.present);
                    if (step.remember) {
                        step.remember(page->at(i));
                    }
                }
                counts.source += page->size();
                rejections.append(outcome->rejections);
                notices.append(outcome->notices);
                after = page->last().text(u"k"_s);
                m_progress->advance(counts);
                if (lastPage) {
                    break;
                }
            }
        }
        m_progress->end(counts);
        m_progress->noticed(notices);
        m_progress->rejected(rejections);
        summary.rejections.append(rejections);
        summary.notices.append(notices);
        summary.tables.append(counts);
    }
    return summary;
}
