// SPDX-License-Identifier: MIT
#pragma once
// Where the browser goes at the end of a Google sign-in redirect. The original sent it to
// ${CORS_ORIGIN}/auth?token=<jwt>, and to the frontend's /login on failure (COMPAT_API.md); the
// v1 flow hands over the refresh token too, in the URL fragment (never sent to a server, never in
// a Referer), to the frontend or to a loopback listener of a native app (RFC 8252 §7.3).

#include "config/config.h"
#include "domain/accounts/googlesignin.h"

#include <QByteArray>
#include <QString>

namespace GoogleRedirects {

// The web frontend's origin: the first CORS_ORIGIN that is not "*", else PUBLIC_URL.
[[nodiscard]] QString frontend(const Config &config);

// Whether a v1 `redirect` may receive tokens: an http(s) URL under one of CORS_ORIGIN's origins,
// or http://127.0.0.1:<port>/… or http://localhost:<port>/… (a native app's loopback listener).
// No user info, no fragment.
[[nodiscard]] bool isAllowed(const Config &config, const QString &redirect);

// <frontend>/login?error=<code>
[[nodiscard]] QByteArray loginError(const Config &config, const QString &code);

// The Location that ends a callback, success or failure.
[[nodiscard]] QByteArray afterCallback(const Config &config, const GoogleCallbackOutcome &outcome);

} // namespace GoogleRedirects
