// SPDX-License-Identifier: MIT
#pragma once
// Applies a CSV import's rows inside one transaction: a row updates the live contact with its
// phone (else its email, the oldest such) or creates one; bad rows are only reported. Existing
// contacts are fetched once for the whole batch and kept current in memory as rows change them,
// so a 10,000-row file costs two writes per row and no per-row lookups.

#include "core/result.h"
#include "domain/contacts/contactcsv.h"
#include "storage/dbconnection.h"

#include <QHash>

class ContactImporter
{
public:
    ContactImporter(DbConnection &db, QString teamId);

    // Runs inside the caller's transaction; an error that is not a row's fault ends the import.
    [[nodiscard]] Result<ImportReport> run(const QList<ImportRow> &rows);

private:
    [[nodiscard]] Status load(const QList<ImportRow> &rows);
    [[nodiscard]] Status apply(const ImportRow &row, ImportReport &report);
    [[nodiscard]] qsizetype match(const ContactChange &change) const;
    void index(qsizetype at);
    void unindex(qsizetype at);

    DbConnection &m_db;
    QString m_teamId;
    QList<Contact> m_contacts;                  // oldest first, then those this import creates
    QHash<QString, qsizetype> m_byPhone;        // unique among live contacts
    QHash<QString, QList<qsizetype>> m_byEmail; // oldest first
};
