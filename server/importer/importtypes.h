// SPDX-License-Identifier: MIT
#pragma once
// What `inbox-central import` is asked to do and what it reports: the options, the counts of one
// source table and the rows it could not take (with the reason).

#include <QList>
#include <QString>

struct ImportOptions
{
    QString sourceUrl; // postgresql://user:pw@host:port/db of the original backend
    QString targetUrl; // our DATABASE_URL
    QString secretsFolder; // the SecretStore folder (<DATA_DIR>/secrets)
    QString region = QStringLiteral("US"); // contact numbers without a country code
    int batchSize = 500; // source rows per target transaction
    bool dryRun = false; // read and validate everything, write nothing
};

// One source table (or derived unit, e.g. the per-user Twilio settings) after the run.
struct TableCounts
{
    QString table;
    qint64 source = 0; // rows read
    qint64 imported = 0; // written by this run (dry run: would be written)
    qint64 present = 0; // already in the target (an earlier run): left as they are
    qint64 rejected = 0; // listed with a reason, not written
};

struct Rejection
{
    QString table;
    QString id;
    QString reason;
};

struct ImportSummary
{
    QList<TableCounts> tables;
    QList<Rejection> rejections;
    QList<Rejection> notices; // imported with a change the output points out (`reason`)
};
