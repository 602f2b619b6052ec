// SPDX-License-Identifier: MIT
// Login throttling: per-account and per-IP failure windows, Retry-After values, reset on success.

#include "auth/loginthrottle.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestLoginThrottle : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void accountLimit()
    {
        LoginThrottle throttle(60, 3, 100);
        const qint64 t0 = 1'000'000;
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(throttle.retryAfter(u"a@x.io"_s, u"1.1.1.1"_s, t0 + i), 0);
            throttle.recordFailure(u"a@x.io"_s, u"1.1.1.1"_s, t0 + i);
        }
        // Blocked until the first failure leaves the 60 s window.
        QCOMPARE(throttle.retryAfter(u"a@x.io"_s, u"2.2.2.2"_s, t0 + 10), 60);
        QCOMPARE(throttle.retryAfter(u"a@x.io"_s, u"2.2.2.2"_s, t0 + 30'000), 30);
        QCOMPARE(throttle.retryAfter(u"a@x.io"_s, u"2.2.2.2"_s, t0 + 60'001), 0);
        QCOMPARE(throttle.retryAfter(u"b@x.io"_s, u"1.1.1.1"_s, t0 + 10), 0);
    }

    void ipLimitAcrossAccounts()
    {
        LoginThrottle throttle(900, 100, 4);
        for (int i = 0; i < 4; ++i) {
            throttle.recordFailure(u"user%1@x.io"_s.arg(i), u"9.9.9.9"_s, 1000);
        }
        QVERIFY(throttle.retryAfter(u"new@x.io"_s, u"9.9.9.9"_s, 2000) > 0);
        QCOMPARE(throttle.retryAfter(u"new@x.io"_s, u"8.8.8.8"_s, 2000), 0);
    }

    void successResetsTheAccount()
    {
        LoginThrottle throttle(60, 2, 100);
        throttle.recordFailure(u"a@x.io"_s, u"1.1.1.1"_s, 0);
        throttle.recordSuccess(u"a@x.io"_s);
        throttle.recordFailure(u"a@x.io"_s, u"1.1.1.1"_s, 1);
        QCOMPARE(throttle.retryAfter(u"a@x.io"_s, u"1.1.1.1"_s, 2), 0);
        throttle.recordFailure(u"a@x.io"_s, u"1.1.1.1"_s, 3);
        QVERIFY(throttle.retryAfter(u"a@x.io"_s, u"1.1.1.1"_s, 4) > 0);
    }
};

QTEST_GUILESS_MAIN(TestLoginThrottle)
#include "tst_loginthrottle.moc"
