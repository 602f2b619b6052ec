// SPDX-License-Identifier: MIT
#pragma once
// X-Twilio-Signature (TWILIO.md "Webhook signature"): base64(HMAC-SHA1(auth token, URL + each
// parameter's name and value, names sorted by byte order, repeated names' values de-duplicated
// and sorted)). Every received parameter is signed, never a fixed list: Twilio adds parameters
// without notice.

#include "channels/twilio/twilioform.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace TwilioSignature {

// The header value Twilio sends for `form` posted to `url`.
[[nodiscard]] QByteArray compute(const QByteArrayView authToken, const QString &url,
                                 const TwilioForm &form);

// The spellings of `url` Twilio may have signed: as given, and with the scheme's default port
// added or removed (twilio-node's validateRequest accepts both).
[[nodiscard]] QStringList urlVariants(const QString &url);

// True when `header` is the signature of `form` at one of urlVariants(url); constant time.
[[nodiscard]] bool verify(const QByteArrayView authToken, const QString &url, const TwilioForm &form,
                          const QByteArrayView header);

// JSON-bodied webhooks: the URL carries bodySHA256=<hex sha256 of the raw body>; the signature
// covers that URL with no parameters, and the hash must match the body.
[[nodiscard]] bool verifyJsonBody(const QByteArrayView authToken, const QString &url,
                                  const QByteArray &rawBody, const QByteArrayView header);

} // namespace TwilioSignature
