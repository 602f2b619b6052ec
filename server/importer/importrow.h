// SPDX-License-Identifier: MIT
#pragma once
// What the mapping of one source row produces and the writer consumes: the target rows to insert
// (all or none), the unique values they would claim, the secrets to store, or the reason the row
// cannot be imported.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <utility>

// A table of ours the importer writes, with the columns it fills (in bind order).
struct TargetTable
{
    QString name;
    QStringList columns;
};

// A value that must be unique in the target (an email, a live phone number in a team, a Twilio
// message SID...). `kind` names the check (ImportWriter knows how to look each kind up);
// `probe` is what the look-up binds, `value` what is compared (often a composite).
struct UniqueKey
{
    QString kind;
    QString probe;
    QString value;
    QString self; // the target id that may hold it (the row's own); empty: none may
    QString what; // for the rejection: "email bob@example.com"
    // Taken by someone else: the row goes in as its `fallback` (without this value) instead of
    // being rejected.
    bool optional = false;
};

struct TargetInsert
{
    const TargetTable *table = nullptr;
    QVariantList values;
};

struct MappedRow
{
    QString sourceId;
    QString existsProbe; // what the writer looks up to see whether the target has it already
    QString rejectReason; // set: the row is listed as rejected, nothing of it is written
    QList<TargetInsert> inserts;
    QList<UniqueKey> keys;
    // SecretStore reference → secret. Never logged; written only with the row's batch.
    QList<std::pair<QString, QByteArray>> secrets;
    // What is written instead when an optional key is taken, and what the output says of it.
    QList<TargetInsert> fallback;
    QString fallbackNotice;

    [[nodiscard]] bool rejected() const { return !rejectReason.isEmpty(); }
};
