// SPDX-License-Identifier: MIT
// ContactCsv: RFC 4180 reading (quotes, commas, line breaks, CRLF, blank lines, BOM), refusals,
// the import's header rules, and an export that reads back as it was written.

#include "domain/contacts/contactcsv.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class TestContactCsv : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QList<QStringList>>("records");
        QTest::addRow("plain LF") << "a,b\nc,d\n"_ba << QList<QStringList>{{u"a"_s, u"b"_s}, {u"c"_s, u"d"_s}};
        QTest::addRow("CRLF, no final newline") << "a,b\r\nc,d"_ba << QList<QStringList>{{u"a"_s, u"b"_s}, {u"c"_s, u"d"_s}};
        QTest::addRow("quoted comma, quote and newline")
            << "\"x, y\",\"say \"\"hi\"\"\",\"one\r\ntwo\"\r\n"_ba
            << QList<QStringList>{{u"x, y"_s, u"say \"hi\""_s, u"one\r\ntwo"_s}};
        QTest::addRow("empty fields") << "a,,\n"_ba << QList<QStringList>{{u"a"_s, QString(), QString()}};
        QTest::addRow("blank line is a record") << "a\r\n\r\nb\r\n"_ba
                                                << QList<QStringList>{{u"a"_s}, {}, {u"b"_s}};
        QTest::addRow("byte-order mark") << "\xEF\xBB\xBFname\nAnn\n"_ba << QList<QStringList>{{u"name"_s}, {u"Ann"_s}};
        QTest::addRow("UTF-8") << "n\nZoë\n"_ba << QList<QStringList>{{u"n"_s}, {u"Zoë"_s}};
    }
    void parse()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QList<QStringList>, records);
        Result<QList<CsvRecord>> parsed = ContactCsv::parse(csv);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->size(), records.size());
        for (qsizetype i = 0; i < records.size(); ++i) {
            QCOMPARE(parsed->at(i).row, int(i + 1));
            QCOMPARE(parsed->at(i).fields, records.at(i));
        }
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addRow("unterminated quote") << "a\n\"open\n"_ba;
        QTest::addRow("quote inside an unquoted field") << "a\nx\"y\n"_ba;
        QTest::addRow("invalid UTF-8") << "a\n\xff\xfe\n"_ba;
        QTest::addRow("empty") << QByteArray();
        QTest::addRow("only blank lines") << "\n\r\n"_ba;
        QTest::addRow("no identifying column") << "company\nAcme\n"_ba;
        QTest::addRow("duplicate column") << "name,Name\na,b\n"_ba;
        QTest::addRow("empty column name") << "name,\na,b\n"_ba;
        QTest::addRow("column name too long") << ("name," + QByteArray(65, 'c') + "\na,b\n");
    }
    void refused()
    {
        QFETCH(QByteArray, csv);
        Result<QList<ImportRow>> rows = ContactCsv::importRows(csv);
        QVERIFY(!rows.ok());
        QCOMPARE(rows.error().status, 422);
        QCOMPARE(rows.error().fieldErrors.value(0).field, u"body"_s);
    }

    void importRowsMapColumns()
    {
        const QByteArray csv = "Name,PHONE,email,id,Company\r\n"
                               "Ann,+1 415 555 2671,ann@example.com,x,Acme\r\n"
                               "\r\n"
                               ",,,,Orphan\r\n"
                               "a,b,c,d,e,f\r\n"
                               "Bo\r\n"_ba;
        Result<QList<ImportRow>> rows = ContactCsv::importRows(csv);
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), 4); // the blank line is skipped, but it keeps its row number
        const ImportRow &ann = rows->at(0);
        QCOMPARE(ann.row, 2);
        QVERIFY(ann.errors.isEmpty());
        QCOMPARE(ann.change.name.value_or(QString()), u"Ann"_s);
        QCOMPARE(ann.change.phone.value_or(QString()), u"+1 415 555 2671"_s); // normalised later
        QCOMPARE(ann.change.email.value_or(QString()), u"ann@example.com"_s);
        QCOMPARE(ann.change.attributes.value_or(QJsonObject()), QJsonObject({{u"Company"_s, u"Acme"_s}}));
        QCOMPARE(rows->at(1).row, 4);
        QCOMPARE(rows->at(1).errors.value(0).field, u"row"_s); // no name, phone or email
        QCOMPARE(rows->at(2).row, 5);
        QCOMPARE(rows->at(2).errors.value(0).field, u"row"_s); // more fields than the header
        QCOMPARE(rows->at(3).row, 6);
        QVERIFY(rows->at(3).errors.isEmpty()); // fewer fields: the rest are empty
        QVERIFY(!rows->at(3).change.phone);
    }

    void exportReadsBack()
    {
        Contact contact;
        contact.id = u"c1"_s;
        contact.name = u"Round, \"Trip\"\nline"_s;
        contact.phone = u"+14155552671"_s;
        contact.attributes = QJsonObject{{u"b"_s, 42}, {u"a, key"_s, u" padded "_s}, {u"c"_s, true}};
        contact.createdAt = QDateTime::fromString(u"2026-01-02T03:04:05.678Z"_s, Qt::ISODateWithMs);
        Contact other;
        other.id = u"c2"_s;
        other.email = u"x@example.com"_s;
        other.optedOutAt = contact.createdAt;
        other.createdAt = contact.createdAt;

        const QByteArray csv = ContactCsv::exportContacts({contact, other});
        QVERIFY(csv.endsWith("\r\n"));
        Result<QList<CsvRecord>> parsed = ContactCsv::parse(csv);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->size(), 3);
        QCOMPARE(parsed->at(0).fields,
                 QStringList({u"id"_s, u"name"_s, u"phone"_s, u"email"_s, u"optedOut"_s,
                              u"createdAt"_s, u"a, key"_s, u"b"_s, u"c"_s}));
        QCOMPARE(parsed->at(1).fields,
                 QStringList({u"c1"_s, contact.name, u"+14155552671"_s, QString(), u"false"_s,
                              u"2026-01-02T03:04:05.678Z"_s, u" padded "_s, u"42"_s, u"true"_s}));
        QCOMPARE(parsed->at(2).fields.mid(0, 5),
                 QStringList({u"c2"_s, QString(), QString(), u"x@example.com"_s, u"true"_s}));
    }
};

QTEST_GUILESS_MAIN(TestContactCsv)
#include "tst_contactcsv.moc"
