// SPDX-License-Identifier: MIT
// Input validation: JsonInput collects every field error at once; emails; passwords by bytes.

#include "api/validation.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class TestValidation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void email_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addColumn<bool>("valid");
        QTest::addRow("plain") << u"ann@example.com"_s << true;
        QTest::addRow("plus and subdomain") << u"a+b@mail.example.co.uk"_s << true;
        QTest::addRow("no at") << u"ann.example.com"_s << false;
        QTest::addRow("two ats") << u"a@b@example.com"_s << false;
        QTest::addRow("no dot in domain") << u"ann@localhost"_s << false;
        QTest::addRow("space") << u"ann smith@example.com"_s << false;
        QTest::addRow("empty") << QString() << false;
        QTest::addRow("too long") << (QString(250, u'a') + u"@example.com"_s) << false;
    }
    void email()
    {
        QFETCH(QString, email);
        QFETCH(bool, valid);
        QCOMPARE(isValidEmail(email), valid);
    }

    void requiredStringReportsEveryProblem()
    {
        JsonInput input(QJsonObject{{u"name"_s, 42}, {u"blank"_s, u"   "_s},
                                    {u"long"_s, QString(11, u'x')}});
        (void)input.requiredString(u"name"_s, 10);
        (void)input.requiredString(u"blank"_s, 10);
        (void)input.requiredString(u"long"_s, 10);
        (void)input.requiredString(u"missing"_s, 10);
        QVERIFY(!input.ok());
        const ApiError error = input.error();
        QCOMPARE(error.status, 422);
        QCOMPARE(error.fieldErrors.size(), 4);
        QCOMPARE(error.fieldErrors.at(0).field, u"name"_s);
        QCOMPARE(error.fieldErrors.at(0).message, u"must be a string"_s);
        QCOMPARE(error.fieldErrors.at(1).message, u"must not be empty"_s);
        QCOMPARE(error.fieldErrors.at(2).message, u"must be at most 10 characters"_s);
        QCOMPARE(error.fieldErrors.at(3).message, u"is required"_s);
    }

    void requiredStringTrimsUnlessAsked()
    {
        JsonInput input(QJsonObject{{u"a"_s, u"  x  "_s}});
        QCOMPARE(input.requiredString(u"a"_s, 10), u"x"_s);
        QCOMPARE(input.requiredString(u"a"_s, 10, true), u"  x  "_s);
        QVERIFY(input.ok());
    }

    void optionalString()
    {
        JsonInput input(QJsonObject{{u"null"_s, QJsonValue::Null}, {u"n"_s, 1}});
        QVERIFY(!input.optionalString(u"absent"_s, 5).has_value());
        QCOMPARE(input.optionalString(u"null"_s, 5), std::optional<QString>(QString()));
        QVERIFY(input.ok());
        (void)input.optionalString(u"n"_s, 5);
        QVERIFY(!input.ok());
    }

    void password_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("problem");
        QTest::addRow("ok") << u"correct horse"_s << QString();
        QTest::addRow("short") << u"1234567"_s << u"must be at least 8 characters"_s;
        QTest::addRow("72 ascii bytes") << QString(72, u'a') << QString();
        QTest::addRow("73 ascii bytes") << QString(73, u'a') << u"must be at most 72 bytes"_s;
        // 40 characters but 80 bytes in UTF-8: bcrypt would silently ignore the tail.
        QTest::addRow("multi-byte over 72 bytes") << QString(40, QChar(0x00e9))
                                                  << u"must be at most 72 bytes"_s;
    }
    void password()
    {
        QFETCH(QString, password);
        QFETCH(QString, problem);
        JsonInput input(QJsonObject{{u"password"_s, password}});
        (void)input.requiredPassword(u"password"_s);
        if (problem.isEmpty()) {
            QVERIFY(input.ok());
        } else {
            QVERIFY(!input.ok());
            QCOMPARE(input.error().fieldErrors.first().message, problem);
        }
    }

    void url_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("valid");
        QTest::addRow("https") << u"https://cdn.example.com/a.png"_s << true;
        QTest::addRow("empty clears") << QString() << true;
        QTest::addRow("javascript") << u"javascript:alert(1)"_s << false;
        QTest::addRow("no host") << u"https://"_s << false;
        QTest::addRow("ftp") << u"ftp://example.com/x"_s << false;
    }
    void url()
    {
        QFETCH(QString, url);
        QFETCH(bool, valid);
        JsonInput input(QJsonObject{{u"avatarUrl"_s, url}});
        (void)input.optionalUrl(u"avatarUrl"_s);
        QCOMPARE(input.ok(), valid);
    }
};

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
