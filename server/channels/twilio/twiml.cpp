// SPDX-License-Identifier: MIT
#include "twiml.h"

#include <QXmlStreamWriter>

#include <functional>

using namespace Qt::StringLiterals;

namespace Twiml {

namespace {

// <?xml …?><Response>…</Response>, with `body` writing the verbs; an empty body gives
// <Response/>, as twilio-node prints an empty response.
QByteArray response(const std::function<void(QXmlStreamWriter &)> &body)
{
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.writeStartDocument();
    if (body) {
        xml.writeStartElement(u"Response"_s);
        body(xml);
        xml.writeEndElement();
    } else {
        xml.writeEmptyElement(u"Response"_s);
    }
    xml.writeEndDocument();
    // QXmlStreamWriter ends the document with a newline; Twilio does not care, tests compare.
    return out.trimmed();
}

QString flag(bool value)
{
    return value ? u"true"_s : u"false"_s;
}

} // namespace

QByteArray empty()
{
    return response({});
}

QByteArray message(const QString &body)
{
    return response([&](QXmlStreamWriter &xml) { xml.writeTextElement(u"Message"_s, body); });
}

QByteArray dial(const Dial &dial)
{
    return response([&](QXmlStreamWriter &xml) {
        xml.writeStartElement(u"Dial"_s);
        if (!dial.callerId.isEmpty()) {
            xml.writeAttribute(u"callerId"_s, dial.callerId);
        }
        xml.writeAttribute(u"timeout"_s, QString::number(dial.timeoutSeconds));
        if (!dial.action.isEmpty()) {
            xml.writeAttribute(u"action"_s, dial.action);
        }
        xml.writeAttribute(u"answerOnBridge"_s, flag(dial.answerOnBridge));
        for (const QString &number : dial.numbers) {
            xml.writeTextElement(u"Number"_s, number);
        }
        xml.writeEndElement();
    });
}

QByteArray voicemail(const Voicemail &voicemail)
{
    return response([&](QXmlStreamWriter &xml) {
        if (!voicemail.prompt.isEmpty()) {
            xml.writeTextElement(u"Say"_s, voicemail.prompt);
        }
        xml.writeEmptyElement(u"Record"_s);
        xml.writeAttribute(u"maxLength"_s, QString::number(voicemail.maxLengthSeconds));
        xml.writeAttribute(u"playBeep"_s, flag(true));
        if (!voicemail.action.isEmpty()) {
            xml.writeAttribute(u"action"_s, voicemail.action);
        }
        if (!voicemail.recordingStatusCallback.isEmpty()) {
            xml.writeAttribute(u"recordingStatusCallback"_s, voicemail.recordingStatusCallback);
            xml.writeAttribute(u"recordingStatusCallbackEvent"_s, u"completed"_s);
        }
        xml.writeEmptyElement(u"Hangup"_s);
    });
}

QByteArray hangup()
{
    return response([](QXmlStreamWriter &xml) { xml.writeEmptyElement(u"Hangup"_s); });
}

} // namespace Twiml
