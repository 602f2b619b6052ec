// SPDX-License-Identifier: MIT
// The hand-written ISO-8601 formatter agrees with Qt's for every kind of date, and rows read
// their columns by name.

#include "storage/sqlrow.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

class TestSqlRow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void isoUtcMatchesQt_data()
    {
        QTest::addColumn<qint64>("msecs");
        QTest::addRow("epoch") << 0LL;
        QTest::addRow("before the epoch") << -1LL;
        QTest::addRow("leap day 2024") << QDateTime(QDate(2024, 2, 29), QTime(23, 59, 59, 999), Qt::UTC).toMSecsSinceEpoch();
        QTest::addRow("year 2000") << QDateTime(QDate(2000, 3, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
        QTest::addRow("1900 no leap") << QDateTime(QDate(1900, 3, 1), QTime(12, 0, 0, 7), Qt::UTC).toMSecsSinceEpoch();
        QTest::addRow("far future") << QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC).toMSecsSinceEpoch();
        QTest::addRow("year 1") << QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    }
    void isoUtcMatchesQt()
    {
        QFETCH(qint64, msecs);
        const QDateTime time = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
        QCOMPARE(isoUtc(time), time.toString(Qt::ISODateWithMs));
    }

    void isoUtcMatchesQtOnRandomInstants()
    {
        QRandomGenerator random(20261124);
        for (int i = 0; i < 100000; ++i) {
            const qint64 msecs = qint64(random.bounded(Q_INT64_C(253402300799999)))
                - Q_INT64_C(62135596800000) * (i % 2); // years 1..9999, both sides of 1970
            const QDateTime time = QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC);
            if (time.date().year() < 1) {
                continue;
            }
            QCOMPARE(isoUtc(time), time.toString(Qt::ISODateWithMs));
        }
    }

    void isoUtcOfAnOffsetTimeIsInUtc()
    {
        const QDateTime time(QDate(2026, 11, 24), QTime(23, 30), Qt::OffsetFromUTC, 3600);
        QCOMPARE(isoUtc(time), u"2026-11-24T22:30:00.000Z"_s);
    }

    void columnsByName()
    {
        const auto columns = std::make_shared<const QStringList>(QStringList{u"id"_s, u"flag"_s, u"at"_s});
        const SqlRow row(columns, {u"x"_s, 1, u"2026-11-24T22:50:51.123Z"_s});
        QCOMPARE(row.text(u"id"_s), u"x"_s);
        QVERIFY(row.flag(u"flag"_s));
        QCOMPARE(row.isoTime(u"at"_s).toString(), u"2026-11-24T22:50:51.123Z"_s);
    }
};

QTEST_GUILESS_MAIN(TestSqlRow)
#include "tst_sqlrow.moc"
