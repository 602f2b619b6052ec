// SPDX-License-Identifier: MIT
// newId(): RFC 9562 UUIDv7 strings that sort by creation time, also under load and threads.

#include "core/ids.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// The 48-bit unix-millisecond timestamp in the first 12 hex digits.
qint64 timestampOf(const QString &id)
{
    bool ok = false;
    const qint64 ms = QString(id.first(8) + id.sliced(9, 4)).toLongLong(&ok, 16);
    return ok ? ms : -1;
}

} // namespace

class TestIds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hasCanonicalLowerCaseForm();
    void carriesVersion7AndRfcVariant();
    void tenThousandIdsAreStrictlyIncreasingAndUnique();
    void timestampIsNow();
    void idsFromSeveralThreadsAreUnique();
};

void TestIds::hasCanonicalLowerCaseForm()
{
    static const QRegularExpression canonical(
            u"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"_s);
    for (int i = 0; i < 100; ++i) {
        const QString id = newId();
        QCOMPARE(id.size(), 36);
        QVERIFY2(canonical.match(id).hasMatch(), qPrintable(id));
    }
}

void TestIds::carriesVersion7AndRfcVariant()
{
    for (int i = 0; i < 100; ++i) {
        const QString id = newId();
        QCOMPARE(id.at(14), u'7'); // version nibble: first of the third group
        QVERIFY2(u"89ab"_s.contains(id.at(19)), qPrintable(id)); // variant bits 10xx
    }
}

void TestIds::tenThousandIdsAreStrictlyIncreasingAndUnique()
{
    constexpr int count = 10'000;
    QStringList ids;
    ids.reserve(count);
    for (int i = 0; i < count; ++i) {
        ids.append(newId());
    }
    for (int i = 1; i < count; ++i) {
        QVERIFY2(ids.at(i - 1) < ids.at(i), qPrintable(ids.at(i - 1) + u" !< "_s + ids.at(i)));
    }
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), count);
}

void TestIds::timestampIsNow()
{
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const QString id = newId();
    const qint64 after = QDateTime::currentMSecsSinceEpoch();

    // Counter overflow in an earlier test may have borrowed a few milliseconds ahead.
    const qint64 ms = timestampOf(id);
    QVERIFY2(ms >= before - 1000 && ms <= after + 1000,
             qPrintable(u"id %1 has timestamp %2, now is %3"_s.arg(id).arg(ms).arg(before)));
}

void TestIds::idsFromSeveralThreadsAreUnique()
{
    constexpr int threadCount = 4;
    constexpr int perThread = 5'000;
    std::vector<QStringList> results(threadCount);
    std::vector<std::thread> threads;
    threads.reserve(threadCount);
    for (int t = 0; t < threadCount; ++t) {
        threads.emplace_back([&list = results[t]] {
            for (int i = 0; i < perThread; ++i) {
                list.append(newId());
            }
        });
    }
    for (std::thread &thread : threads) {
        thread.join();
    }

    QSet<QString> all;
    for (const QStringList &list : results) {
        for (int i = 1; i < list.size(); ++i) {
            QVERIFY(list.at(i - 1) < list.at(i)); // each thread still sees increasing ids
        }
        for (const QString &id : list) {
            all.insert(id);
        }
    }
    QCOMPARE(all.size(), threadCount * perThread);
}

QTEST_GUILESS_MAIN(TestIds)
#include "tst_ids.moc"
