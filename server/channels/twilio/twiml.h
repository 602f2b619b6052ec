// SPDX-License-Identifier: MIT
#pragma once
// TwiML answers to Twilio webhooks, written with QXmlStreamWriter so every text and attribute is
// escaped (a caller's name or a configured prompt never breaks out of its element). Shapes as
// twilio-node's VoiceResponse/MessagingResponse print them (TWILIO.md "Voice").

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace Twiml {

// <Dial>: rings `numbers` at once; the first to answer is bridged to the caller.
struct Dial
{
    QString callerId;   // empty: Twilio's default (the calling number)
    int timeoutSeconds = 20;
    QString action;     // absolute URL Twilio posts DialCallStatus to; empty: none
    bool answerOnBridge = true; // the caller hears ringing, not silence, until someone answers
    QStringList numbers;
};

// <Say> then <Record> then <Hangup/>: a voicemail.
struct Voicemail
{
    QString prompt;
    int maxLengthSeconds = 120;
    QString action;                  // posts RecordingUrl/RecordingDuration when recording ends
    QString recordingStatusCallback; // posts once the recording file is ready
};

// <?xml version="1.0" encoding="UTF-8"?><Response/>: "nothing to do".
[[nodiscard]] QByteArray empty();
// <Response><Message>body</Message></Response>
[[nodiscard]] QByteArray message(const QString &body);
// <Response><Dial …><Number>…</Number>…</Dial></Response>
[[nodiscard]] QByteArray dial(const Dial &dial);
// <Response><Say>…</Say><Record …/><Hangup/></Response>
[[nodiscard]] QByteArray voicemail(const Voicemail &voicemail);
// <Response><Hangup/></Response>
[[nodiscard]] QByteArray hangup();

} // namespace Twiml
