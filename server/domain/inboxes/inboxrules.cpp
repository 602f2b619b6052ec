// SPDX-License-Identifier: MIT
#include "inboxrules.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace InboxRules {

namespace {

bool matches(const QString &text, const QRegularExpression &pattern)
{
    return pattern.match(text).hasMatch();
}

const QString WhatsappPrefix = u"whatsapp:"_s;

bool isHex32(const QString &text)
{
    static const QRegularExpression pattern(u"\\A[0-9a-fA-F]{32}\\z"_s);
    return matches(text, pattern);
}

// A Twilio SID: a two-letter prefix naming the kind of resource, then 32 hex digits.
bool isTwilioSid(const QString &sid, QStringView prefix)
{
    return sid.startsWith(prefix) && isHex32(sid.mid(prefix.size()));
}

} // namespace

bool isChannel(const QString &channel)
{
    return channel == u"sms"_s || channel == u"whatsapp"_s || channel == u"voice"_s;
}

bool isE164(const QString &number)
{
    static const QRegularExpression pattern(u"\\A\\+[1-9][0-9]{7,14}\\z"_s);
    return matches(number, pattern);
}

bool isMessagingServiceSid(const QString &sid)
{
    return isTwilioSid(sid, u"MG");
}

bool isAccountSid(const QString &sid)
{
    return isTwilioSid(sid, u"AC");
}

bool isAuthToken(const QString &token)
{
    return isHex32(token);
}

std::optional<QString> normaliseAddress(const QString &channel, const QString &address, QString *why)
{
    const bool prefixed = address.startsWith(WhatsappPrefix);
    const QString number = prefixed ? address.mid(WhatsappPrefix.size()) : address;
    if (channel == u"whatsapp"_s) {
        if (!isE164(number)) {
            *why = u"must be whatsapp:+<E.164 number>, e.g. whatsapp:+14155552671"_s;
            return std::nullopt;
        }
        return WhatsappPrefix + number;
    }
    if (prefixed) {
        *why = u"only whatsapp inboxes take a whatsapp: address"_s;
        return std::nullopt;
    }
    if (!isE164(number)) {
        *why = u"must be an E.164 number: + then 8 to 15 digits, e.g. +14155552671"_s;
        return std::nullopt;
    }
    return number;
}

QString credentialsRef(const QString &inboxId)
{
    return u"inbox:"_s + inboxId + u":authToken"_s;
}

} // namespace InboxRules
