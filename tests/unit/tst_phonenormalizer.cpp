// SPDX-License-Identifier: MIT
// PhoneNormalizer: what people type, in a team's default region, to E.164 or a refusal.

#include "domain/contacts/phonenormalizer.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestPhoneNormalizer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void toE164_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("expected"); // empty: refused

        QTest::addRow("US national with punctuation") << u"(415) 555-2671"_s << u"US"_s << u"+14155552671"_s;
        QTest::addRow("US dots") << u"415.555.2671"_s << u"US"_s << u"+14155552671"_s;
        QTest::addRow("US with trunk 1") << u"1 415 555 2671"_s << u"US"_s << u"+14155552671"_s;
        QTest::addRow("already E.164") << u"+14155552671"_s << u"US"_s << u"+14155552671"_s;
        QTest::addRow("surrounding spaces") << u"  +1 415 555 2671  "_s << u"US"_s << u"+14155552671"_s;
        QTest::addRow("UK international in a US team") << u"+44 20 7946 0958"_s << u"US"_s << u"+442079460958"_s;
        QTest::addRow("UK national in a GB team") << u"020 7946 0958"_s << u"GB"_s << u"+442079460958"_s;
        QTest::addRow("region in lower case") << u"020 7946 0958"_s << u"gb"_s << u"+442079460958"_s;
        QTest::addRow("German mobile national") << u"0151 23456789"_s << u"DE"_s << u"+4915123456789"_s;
        QTest::addRow("French national") << u"06 12 34 56 78"_s << u"FR"_s << u"+33612345678"_s;
        QTest::addRow("international prefix 00") << u"0044 20 7946 0958"_s << u"DE"_s << u"+442079460958"_s;
        QTest::addRow("unknown region, international number") << u"+1 415 555 2671"_s << u"ZZ"_s << u"+14155552671"_s;

        QTest::addRow("garbage") << u"garbage"_s << u"US"_s << QString();
        QTest::addRow("empty") << QString() << u"US"_s << QString();
        QTest::addRow("too short") << u"12"_s << u"US"_s << QString();
        QTest::addRow("too few digits for the US") << u"555-267"_s << u"US"_s << QString();
        QTest::addRow("UK national in a US team") << u"020 7946 0958"_s << u"US"_s << QString();
        QTest::addRow("unknown country code") << u"+999 1234 5678"_s << u"US"_s << QString();
        QTest::addRow("unknown region, national number") << u"415 555 2671"_s << u"ZZ"_s << QString();
        QTest::addRow("channel prefix") << u"whatsapp:+14155552671"_s << u"US"_s << QString();
        QTest::addRow("letters (vanity)") << u"1-800-FLOWERS"_s << u"US"_s << QString();
        QTest::addRow("extension") << u"+1 415 555 2671 ext 5"_s << u"US"_s << QString();
        QTest::addRow("two plus signs") << u"++14155552671"_s << u"US"_s << QString();
        QTest::addRow("far too long") << QString(60, u'5') << u"US"_s << QString();
    }
    void toE164()
    {
        QFETCH(QString, input);
        QFETCH(QString, region);
        QFETCH(QString, expected);
        const std::optional<QString> e164 = PhoneNormalizer::toE164(input, region);
        if (expected.isEmpty()) {
            QVERIFY2(!e164, qPrintable(u"accepted as "_s + e164.value_or(QString())));
        } else {
            QVERIFY2(e164, "refused");
            QCOMPARE(*e164, expected);
        }
    }

    void supportedRegions_data()
    {
        QTest::addColumn<QString>("region");
        QTest::addColumn<bool>("supported");
        QTest::addRow("US") << u"US"_s << true;
        QTest::addRow("GB") << u"GB"_s << true;
        QTest::addRow("lower case") << u"de"_s << true;
        QTest::addRow("unknown") << u"ZZ"_s << false;
        QTest::addRow("alpha-3") << u"USA"_s << false;
        QTest::addRow("empty") << QString() << false;
    }
    void supportedRegions()
    {
        QFETCH(QString, region);
        QFETCH(bool, supported);
        QCOMPARE(PhoneNormalizer::isSupportedRegion(region), supported);
    }
};

QTEST_GUILESS_MAIN(TestPhoneNormalizer)
#include "tst_phonenormalizer.moc"
