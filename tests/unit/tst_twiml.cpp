// SPDX-License-Identifier: MIT
// TwiML builders: the exact shapes twilio-node prints (TWILIO.md "Voice"), and escaping of every
// text and attribute, so nothing a caller or an admin typed can add verbs.

#include "channels/twilio/twiml.h"

#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace {

const QByteArray kProlog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"_ba;

// The element names of `xml` in document order, or an error string if it does not parse.
QStringList elementsOf(const QByteArray &xml)
{
    QXmlStreamReader reader(xml);
    QStringList names;
    while (!reader.atEnd()) {
        if (reader.readNext() == QXmlStreamReader::StartElement) {
            names.append(reader.name().toString());
        }
    }
    if (reader.hasError()) {
        return {u"error: "_s + reader.errorString()};
    }
    return names;
}

} // namespace

class TestTwiml : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyResponse()
    {
        QCOMPARE(Twiml::empty(), kProlog + "<Response/>"_ba);
    }

    void messageIsEscaped()
    {
        QCOMPARE(Twiml::message(u"Tom & Jerry <3 \"quotes\""_s),
                 kProlog + "<Response><Message>Tom &amp; Jerry &lt;3 &quot;quotes&quot;</Message></Response>"_ba);
    }

    void dialShape()
    {
        Twiml::Dial dial;
        dial.callerId = u"+14155550100"_s;
        dial.timeoutSeconds = 20;
        dial.action = u"https://hooks.example.test/api/v1/webhooks/twilio/voice/dial"_s;
        dial.numbers = {u"+14155550101"_s, u"+14155550102"_s};
        QCOMPARE(Twiml::dial(dial),
                 kProlog
                     + "<Response><Dial callerId=\"+14155550100\" timeout=\"20\" action=\"https://hooks.example.test/api/v1/webhooks/twilio/voice/dial\" answerOnBridge=\"true\"><Number>+14155550101</Number><Number>+14155550102</Number></Dial></Response>"_ba);
    }

    void dialWithoutCallerIdOrAction()
    {
        Twiml::Dial dial;
        dial.timeoutSeconds = 30;
        dial.answerOnBridge = false;
        dial.numbers = {u"+14155550101"_s};
        QCOMPARE(Twiml::dial(dial),
                 kProlog
                     + "<Response><Dial timeout=\"30\" answerOnBridge=\"false\"><Number>+14155550101</Number></Dial></Response>"_ba);
    }

    void voicemailShape()
    {
        Twiml::Voicemail voicemail;
        voicemail.prompt = u"Please leave a message after the beep."_s;
        voicemail.maxLengthSeconds = 120;
        voicemail.action = u"https://h.test/voice/recording"_s;
        voicemail.recordingStatusCallback = u"https://h.test/voice/recording-status"_s;
        QCOMPARE(Twiml::voicemail(voicemail),
                 kProlog
                     + "<Response><Say>Please leave a message after the beep.</Say><Record maxLength=\"120\" playBeep=\"true\" action=\"https://h.test/voice/recording\" recordingStatusCallback=\"https://h.test/voice/recording-status\" recordingStatusCallbackEvent=\"completed\"/><Hangup/></Response>"_ba);
    }

    void hangup()
    {
        QCOMPARE(Twiml::hangup(), kProlog + "<Response><Hangup/></Response>"_ba);
    }

    // A URL with a query string and a prompt with markup stay one attribute and one text node.
    void attributesAndTextAreEscaped()
    {
        Twiml::Dial dial;
        dial.callerId = u"\"><Hangup/><Dial x=\""_s;
        dial.action = u"https://h.test/dial?callId=a&b=<c>"_s;
        dial.numbers = {u"</Number><Play>evil</Play>"_s};
        const QByteArray xml = Twiml::dial(dial);
        QCOMPARE(elementsOf(xml), (QStringList{u"Response"_s, u"Dial"_s, u"Number"_s}));
        QVERIFY2(xml.contains("action=\"https://h.test/dial?callId=a&amp;b=&lt;c&gt;\""), xml.constData());

        Twiml::Voicemail voicemail;
        voicemail.prompt = u"<Dial>+1900</Dial> & bye"_s;
        voicemail.action = u"https://h.test/r"_s;
        const QByteArray recorded = Twiml::voicemail(voicemail);
        QCOMPARE(elementsOf(recorded),
                 (QStringList{u"Response"_s, u"Say"_s, u"Record"_s, u"Hangup"_s}));
        QVERIFY2(recorded.contains("<Say>&lt;Dial&gt;+1900&lt;/Dial&gt; &amp; bye</Say>"), recorded.constData());
    }

    void unicodeIsUtf8()
    {
        const QByteArray xml = Twiml::message(u"Grüße ☎"_s);
        QVERIFY(xml.contains(u"Grüße ☎"_s.toUtf8()));
    }
};

QTEST_GUILESS_MAIN(TestTwiml)
#include "tst_twiml.moc"
