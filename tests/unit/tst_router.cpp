// SPDX-License-Identifier: MIT
// Routing: literal and variable segments, 404 vs 405 with the Allow list, HEAD served by GET.

#include "http/router.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestRouter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        const Handler nothing = [](const RequestPtr &, const ResponderPtr &) {};
        m_router.add("GET"_ba, u"/healthz"_s, nothing);
        m_router.add("GET"_ba, u"/api/v1/teams/{teamId}/members"_s, nothing);
        m_router.add("POST"_ba, u"/api/v1/teams/{teamId}/members"_s, nothing);
        m_router.add("PATCH"_ba, u"/api/v1/teams/{teamId}/members/{userId}"_s, nothing);
        m_router.add("GET"_ba, u"/"_s, nothing);
    }

    void match_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QByteArray>("allowed");
        QTest::addRow("literal") << "GET"_ba << u"/healthz"_s << u"/healthz"_s << QByteArray();
        QTest::addRow("trailing slash") << "GET"_ba << u"/healthz/"_s << u"/healthz"_s << QByteArray();
        QTest::addRow("root") << "GET"_ba << u"/"_s << u"/"_s << QByteArray();
        QTest::addRow("head is get") << "HEAD"_ba << u"/healthz"_s << u"/healthz"_s << QByteArray();
        QTest::addRow("variable") << "POST"_ba << u"/api/v1/teams/t1/members"_s
                                  << u"/api/v1/teams/{teamId}/members"_s << QByteArray();
        QTest::addRow("two variables") << "PATCH"_ba << u"/api/v1/teams/t1/members/u2"_s
                                       << u"/api/v1/teams/{teamId}/members/{userId}"_s << QByteArray();
        QTest::addRow("wrong method") << "DELETE"_ba << u"/api/v1/teams/t1/members"_s << QString()
                                      << "GET, POST, HEAD, OPTIONS"_ba;
        QTest::addRow("unknown") << "GET"_ba << u"/api/v1/nothing"_s << QString() << QByteArray();
        QTest::addRow("too deep") << "GET"_ba << u"/healthz/x"_s << QString() << QByteArray();
        QTest::addRow("prefix is not a match") << "GET"_ba << u"/api/v1/teams/t1"_s << QString()
                                               << QByteArray();
    }
    void match()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QString, pattern);
        QFETCH(QByteArray, allowed);
        const Router::Match match = m_router.match(method, path);
        QCOMPARE(match.route ? match.route->pattern : QString(), pattern);
        QCOMPARE(match.allowedMethods, allowed);
    }

    void parameters()
    {
        const Router::Match match = m_router.match("PATCH"_ba, u"/api/v1/teams/abc/members/def"_s);
        QVERIFY(match.route);
        QCOMPARE(match.params.value(u"teamId"_s), u"abc"_s);
        QCOMPARE(match.params.value(u"userId"_s), u"def"_s);
    }

private:
    Router m_router;
};

QTEST_GUILESS_MAIN(TestRouter)
#include "tst_router.moc"
