// SPDX-License-Identifier: MIT
#pragma once
// Contacts as RFC 4180 CSV through libcsv: reading an import file into rows of changes (with the
// problems found in each row), and writing the export.

#include "core/result.h"
#include "domain/contacts/contacttypes.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

struct CsvRecord
{
    int row = 0; // 1 for the first record; blank lines count, as in a spreadsheet
    QStringList fields;
};

// One data row of an import: the fields it sets (phone still as written) and its own problems.
struct ImportRow
{
    int row = 0;
    ContactChange change;
    QList<FieldError> errors;
};

namespace ContactCsv {

inline constexpr int kMaxImportRows = 10000;

// The records of a UTF-8 CSV document (a leading byte-order mark is skipped). Quoted fields may
// hold commas, doubled quotes and line breaks. Malformed CSV or invalid UTF-8 → 422.
[[nodiscard]] Result<QList<CsvRecord>> parse(const QByteArray &bytes);

// Appends one record, quoting the fields that need it, ended by CRLF.
void appendRecord(QByteArray &out, const QStringList &fields);

// An import file as rows: the header names the columns (name, phone, email in any case; the
// export's id, optedOut and createdAt are ignored; any other column is an attribute). Empty
// cells set nothing. A bad header, more than kMaxImportRows rows or a document that is not CSV
// → 422 for the whole file; a bad row only marks that row. The attribute limit (50) is per row,
// not per file: an export's columns are the union of every contact's keys.
[[nodiscard]] Result<QList<ImportRow>> importRows(const QByteArray &bytes);

// The export: id,name,phone,email,optedOut,createdAt then the union of attribute keys (sorted).
[[nodiscard]] QByteArray exportContacts(const QList<Contact> &contacts);

} // namespace ContactCsv
