// SPDX-License-Identifier: MIT
// Twilio webhook signatures against twilio-node's own vectors (TWILIO.md), the port variants,
// repeated parameters, JSON bodies, and the form decoding they depend on.

#include "channels/twilio/twilioform.h"
#include "channels/twilio/twiliosignature.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QByteArray kToken = "12345"_ba;

TwilioForm callParams()
{
    return TwilioForm({{u"CallSid"_s, u"CA1234567890ABCDE"_s},
                       {u"Caller"_s, u"+14158675309"_s},
                       {u"Digits"_s, u"1234"_s},
                       {u"From"_s, u"+14158675309"_s},
                       {u"To"_s, u"+18005551212"_s}});
}

} // namespace

class TestTwilioSignature : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void computesTwilioNodeVectors();
    void verifiesWithAndWithoutDefaultPort();
    void rejectsTamperedOrMissing();
    void orderOfReceivedParametersDoesNotMatter();
    void repeatedParametersAreDeduplicatedAndSorted();
    void jsonBodyVector();
    void formDecodesPlusPercentAndUtf8();
};

void TestTwilioSignature::computesTwilioNodeVectors()
{
    QCOMPARE(TwilioSignature::compute(kToken, u"https://mycompany.com/myapp.php?foo=1&bar=2"_s,
                                      callParams()),
             "RSOYDt4T1cUTdK1PDd93/VVr8B8="_ba);
    QCOMPARE(TwilioSignature::compute(kToken,
                                      u"https://mycompany.com:443/myapp.php?foo=1&bar=2"_s,
                                      callParams()),
             "kvajT1Ptam85bY51eRf/AJRuM3w="_ba);
}

void TestTwilioSignature::verifiesWithAndWithoutDefaultPort()
{
    const QString plain = u"https://mycompany.com/myapp.php?foo=1&bar=2"_s;
    const QString withPort = u"https://mycompany.com:443/myapp.php?foo=1&bar=2"_s;
    // Configured without a port, Twilio signed with it, and the other way round.
    QVERIFY(TwilioSignature::verify(kToken, plain, callParams(), "kvajT1Ptam85bY51eRf/AJRuM3w="_ba));
    QVERIFY(TwilioSignature::verify(kToken, withPort, callParams(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="_ba));
    QCOMPARE(TwilioSignature::urlVariants(u"http://a.test:8080/x"_s).size(), 1);
    QCOMPARE(TwilioSignature::urlVariants(u"http://a.test/x"_s),
             QStringList({u"http://a.test/x"_s, u"http://a.test:80/x"_s}));
}

void TestTwilioSignature::rejectsTamperedOrMissing()
{
    const QString url = u"https://mycompany.com/myapp.php?foo=1&bar=2"_s;
    const QByteArray good = "RSOYDt4T1cUTdK1PDd93/VVr8B8="_ba;
    QVERIFY(TwilioSignature::verify(kToken, url, callParams(), good));
    QVERIFY(!TwilioSignature::verify("54321"_ba, url, callParams(), good));
    QVERIFY(!TwilioSignature::verify(kToken, url, callParams(), QByteArray()));
    QVERIFY(!TwilioSignature::verify(QByteArray(), url, callParams(), good));
    QVERIFY(!TwilioSignature::verify(kToken, url + u"&baz=3"_s, callParams(), good));
    TwilioForm extra({{u"CallSid"_s, u"CA1234567890ABCDE"_s}, {u"Caller"_s, u"+14158675309"_s},
                      {u"Digits"_s, u"1234"_s}, {u"From"_s, u"+14158675309"_s},
                      {u"To"_s, u"+18005551212"_s}, {u"Injected"_s, u"1"_s}});
    QVERIFY(!TwilioSignature::verify(kToken, url, extra, good));
    TwilioForm changed({{u"CallSid"_s, u"CA1234567890ABCDE"_s}, {u"Caller"_s, u"+14158675309"_s},
                        {u"Digits"_s, u"1235"_s}, {u"From"_s, u"+14158675309"_s},
                        {u"To"_s, u"+18005551212"_s}});
    QVERIFY(!TwilioSignature::verify(kToken, url, changed, good));
}

void TestTwilioSignature::orderOfReceivedParametersDoesNotMatter()
{
    TwilioForm shuffled({{u"To"_s, u"+18005551212"_s}, {u"Digits"_s, u"1234"_s},
                         {u"CallSid"_s, u"CA1234567890ABCDE"_s}, {u"From"_s, u"+14158675309"_s},
                         {u"Caller"_s, u"+14158675309"_s}});
    QCOMPARE(TwilioSignature::compute(kToken, u"https://mycompany.com/myapp.php?foo=1&bar=2"_s,
                                      shuffled),
             "RSOYDt4T1cUTdK1PDd93/VVr8B8="_ba);
}

void TestTwilioSignature::repeatedParametersAreDeduplicatedAndSorted()
{
    // twilio-node: toFormUrlEncodedParam on an array → unique values, sorted, each "name+value".
    const TwilioForm repeated({{u"MediaUrl"_s, u"b"_s}, {u"MediaUrl"_s, u"a"_s},
                               {u"MediaUrl"_s, u"b"_s}, {u"Body"_s, u"x"_s}});
    const TwilioForm canonical({{u"Body"_s, u"x"_s}, {u"MediaUrl"_s, u"a"_s},
                                {u"MediaUrl"_s, u"b"_s}});
    QCOMPARE(TwilioSignature::compute(kToken, u"https://h.test/w"_s, repeated),
             TwilioSignature::compute(kToken, u"https://h.test/w"_s, canonical));
}

void TestTwilioSignature::jsonBodyVector()
{
    const QByteArray body = R"({"property": "value", "boolean": true})"_ba;
    const QString url = u"https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256="
                        "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"_s;
    QVERIFY(TwilioSignature::verifyJsonBody(kToken, url, body, "a9nBmqA0ju/hNViExpshrM61xv4="_ba));
    QVERIFY(!TwilioSignature::verifyJsonBody(kToken, url, body + ' ', "a9nBmqA0ju/hNViExpshrM61xv4="_ba));
    QVERIFY(!TwilioSignature::verifyJsonBody(kToken, u"https://mycompany.com/myapp.php"_s, body,
                                             "a9nBmqA0ju/hNViExpshrM61xv4="_ba));
}

void TestTwilioSignature::formDecodesPlusPercentAndUtf8()
{
    const TwilioForm form = TwilioForm::parse(
        "Body=Hello+world%21+%F0%9F%98%80&From=%2B14155550100&Empty=&Flag&MediaUrl0=a%2Bb"_ba);
    QCOMPARE(form.value(u"Body"), u"Hello world! 😀"_s);
    QCOMPARE(form.value(u"From"), u"+14155550100"_s);
    QCOMPARE(form.value(u"MediaUrl0"), u"a+b"_s);
    QVERIFY(form.contains(u"Empty"));
    QVERIFY(form.contains(u"Flag"));
    QVERIFY(!form.contains(u"Missing"));
    QCOMPARE(form.items().size(), 5);
}

QTEST_GUILESS_MAIN(TestTwilioSignature)
#include "tst_twiliosignature.moc"
