// SPDX-License-Identifier: MIT
#include "contactcsv.h"

#include "domain/contacts/contactrules.h"
#include "storage/sqlrow.h"

#include <csv.h>

#include <QSet>
#include <QStringDecoder>


using namespace Qt::StringLiterals;

namespace ContactCsv {

namespace {

struct ParseState
{
    QList<QByteArray> fields;
    QList<QList<QByteArray>> records;
    int lastTerminator = 0;
};

void onField(void *data, size_t length, void *state)
{
    static_cast<ParseState *>(state)->fields.append(
        QByteArray(static_cast<const char *>(data), qsizetype(length)));
}

// Parsed with CSV_REPALL_NL, so a blank line is a record too and record numbers match the rows a
// spreadsheet shows; the LF of a CRLF then arrives as a record of its own, dropped here.
void onRecordEnd(int terminator, void *state)
{
    auto *parse = static_cast<ParseState *>(state);
    const bool crlfTail =
        parse->fields.isEmpty() && terminator == '\n' && parse->lastTerminator == '\r';
    parse->lastTerminator = crlfTail ? 0 : terminator;
    if (!crlfTail) {
        parse->records.append(std::move(parse->fields));
    }
    parse->fields.clear();
}

ApiError csvError(const QString &message)
{
    return ApiError::validation({{u"body"_s, message}}, u"The CSV file cannot be imported."_s);
}

bool isBlank(const QStringList &fields)
{
    return std::all_of(fields.cbegin(), fields.cend(),
                       [](const QString &field) { return field.trimmed().isEmpty(); });
}

enum class Column { Name, Phone, Email, Ignored, Attribute };

Column columnKind(const QString &header)
{
    if (header.compare(u"name"_s, Qt::CaseInsensitive) == 0) {
        return Column::Name;
    }
    if (header.compare(u"phone"_s, Qt::CaseInsensitive) == 0) {
        return Column::Phone;
    }
    if (header.compare(u"email"_s, Qt::CaseInsensitive) == 0) {
        return Column::Email;
    }
    if (ContactRules::isReservedAttributeKey(header)) {
        return Column::Ignored; // the export's id, optedOut, createdAt
    }
    return Column::Attribute;
}

Result<QList<Column>> readHeader(const QStringList &header)
{
    QList<Column> columns;
    QSet<QString> seen;
    bool identifying = false;
    for (const QString &raw : header) {
        const QString name = raw.trimmed();
        if (name.isEmpty()) {
            return csvError(u"the header row has an empty column name"_s);
        }
        if (seen.contains(name.toLower())) {
            return csvError(u"the header row names the column \"%1\" twice"_s.arg(name));
        }
        seen.insert(name.toLower());
        const Column kind = columnKind(name);
        if (kind == Column::Attribute) {
            if (name.size() > ContactRules::kMaxAttributeKey) {
                return csvError(u"column names must be at most %1 characters"_s.arg(
                    ContactRules::kMaxAttributeKey));
            }
        } else if (kind != Column::Ignored) {
            identifying = true;
        }
        columns.append(kind);
    }
    if (!identifying) {
        return csvError(u"the header row needs a name, phone or email column"_s);
    }
    return columns;
}

QString attributeText(const QJsonValue &value)
{
    if (value.isBool()) {
        return value.toBool() ? u"true"_s : u"false"_s;
    }
    if (value.isDouble()) {
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    }
    return value.toString();
}

} // namespace

Result<QList<CsvRecord>> parse(const QByteArray &bytes)
{
    QByteArrayView input(bytes);
    if (input.startsWith("\xEF\xBB\xBF")) {
        input = input.sliced(3);
    }
    csv_parser parser;
    // Strict: a stray quote in an unquoted field or an unterminated quoted field is an error,
    // not a guess.
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
        return ApiError::internal();
    }
    ParseState state;
    const size_t consumed =
        csv_parse(&parser, input.data(), size_t(input.size()), onField, onRecordEnd, &state);
    bool failed = consumed != size_t(input.size());
    if (!failed && csv_fini(&parser, onField, onRecordEnd, &state) != 0) {
        failed = true;
    }
    const QString reason = failed ? QString::fromLatin1(csv_strerror(csv_error(&parser))) : QString();
    csv_free(&parser);
    if (failed) {
        return csvError(u"is not valid CSV after record %1: %2"_s.arg(state.records.size()).arg(reason));
    }

    QList<CsvRecord> records;
    records.reserve(state.records.size());
    QStringDecoder utf8(QStringDecoder::Utf8);
    int row = 0;
    for (const QList<QByteArray> &fields : std::as_const(state.records)) {
        CsvRecord record;
        record.row = ++row;
        for (const QByteArray &field : fields) {
            record.fields.append(QString(utf8.decode(field)));
        }
        if (utf8.hasError()) {
            return csvError(u"is not UTF-8 text (record %1)"_s.arg(row));
        }
        records.append(std::move(record));
    }
    return records;
}

void appendRecord(QByteArray &out, const QStringList &fields)
{
    bool first = true;
    for (const QString &field : fields) {
        if (!first) {
            out.append(',');
        }
        first = false;
        const QByteArray bytes = field.toUtf8();
        const bool needsQuotes = bytes.contains(',') || bytes.contains('"') || bytes.contains('\n')
            || bytes.contains('\r') || bytes != bytes.trimmed();
        if (!needsQuotes) {
            out.append(bytes);
            continue;
        }
        // csv_write doubles the quotes and adds the outer ones: at most 2n + 2 bytes.
        const qsizetype start = out.size();
        out.resize(start + 2 * bytes.size() + 2);
        const size_t written = csv_write(out.data() + start, size_t(out.size() - start),
                                         bytes.constData(), size_t(bytes.size()));
        out.resize(start + qsizetype(written));
    }
    out.append("\r\n");
}

Result<QList<ImportRow>> importRows(const QByteArray &bytes)
{
    Result<QList<CsvRecord>> records = parse(bytes);
    if (!records) {
        return records.error();
    }
    qsizetype first = 0;
    while (first < records->size() && isBlank(records->at(first).fields)) {
        ++first;
    }
    if (first == records->size()) {
        return csvError(u"is empty: the first row must name the columns"_s);
    }
    const QStringList header = records->at(first).fields;
    Result<QList<Column>> columns = readHeader(header);
    if (!columns) {
        return columns.error();
    }
    if (records->size() - first - 1 > kMaxImportRows) {
        return csvError(u"has more than %1 rows; split the file"_s.arg(kMaxImportRows));
    }

    QList<ImportRow> rows;
    rows.reserve(records->size() - first - 1);
    for (qsizetype r = first + 1; r < records->size(); ++r) {
        const CsvRecord &record = records->at(r);
        if (isBlank(record.fields)) {
            continue; // a trailing or spacer line, not a contact
        }
        ImportRow row;
        row.row = record.row;
        if (record.fields.size() > header.size()) {
            row.errors.append({u"row"_s, u"has %1 fields; the header has %2"_s.arg(
                                             record.fields.size()).arg(header.size())});
            rows.append(std::move(row));
            continue;
        }
        QJsonObject attributes;
        // Fewer fields than the header: the missing trailing cells are empty.
        for (qsizetype c = 0; c < record.fields.size(); ++c) {
            const QString value = record.fields.at(c).trimmed();
            if (value.isEmpty()) {
                continue;
            }
            switch (columns->at(c)) {
            case Column::Name: row.change.name = value; break;
            case Column::Phone: row.change.phone = value; break;
            case Column::Email: row.change.email = value; break;
            case Column::Ignored: break;
            case Column::Attribute: {
                // value lengths are checked with the other fields (ContactRules::normalize)
                attributes.insert(header.at(c).trimmed(), value);
                break;
            }
            }
        }
        if (!row.change.name && !row.change.phone && !row.change.email) {
            row.errors.append({u"row"_s, u"needs a name, phone or email"_s});
        }
        if (!attributes.isEmpty()) {
            row.change.attributes = attributes;
        }
        rows.append(std::move(row));
    }
    return rows;
}

QByteArray exportContacts(const QList<Contact> &contacts)
{
    QSet<QString> keySet;
    for (const Contact &contact : contacts) {
        for (auto it = contact.attributes.constBegin(); it != contact.attributes.constEnd(); ++it) {
            keySet.insert(it.key());
        }
    }
    QStringList keys(keySet.cbegin(), keySet.cend());
    keys.sort();
    const QStringList header = ContactRules::exportColumns() + keys;
    QByteArray out;
    appendRecord(out, header);
    for (const Contact &contact : contacts) {
        QStringList fields{contact.id,
                           contact.name,
                           contact.phone,
                           contact.email,
                           contact.optedOutAt.isValid() ? u"true"_s : u"false"_s,
                           isoUtc(contact.createdAt)};
        for (const QString &key : std::as_const(keys)) {
            fields.append(attributeText(contact.attributes.value(key)));
        }
        appendRecord(out, fields);
    }
    return out;
}

} // namespace ContactCsv
