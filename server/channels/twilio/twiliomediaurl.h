// SPDX-License-Identifier: MIT
#pragma once
// Which URLs the media download may fetch (TWILIO.md "Inbound SMS/MMS webhook": only Twilio's
// media URL pattern, never an address a webhook could point anywhere, so no request forgery
// through us). Pure functions.

#include <QString>
#include <QUrl>

namespace TwilioMediaUrl {

// True when `url` is exactly {apiBase}/2010-04-01/Accounts/{accountSid}/Messages/{SM|MM…}/Media/
// {ME…}: same scheme, host and port as TWILIO_API_BASE, the inbox's own account, 32 hex digits
// per SID, no user info, query or fragment, nothing percent-encoded.
[[nodiscard]] bool isMediaUrl(const QString &url, const QString &apiBase,
                              const QString &accountSid);

// Same scheme, host and port (default ports filled in): where credentials may be sent.
[[nodiscard]] bool sameOrigin(const QUrl &a, const QUrl &b);

} // namespace TwilioMediaUrl
