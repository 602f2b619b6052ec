// SPDX-License-Identifier: MIT
#pragma once
// What "Sign in with Google" is configured with (GOOGLE_* settings), in one value the sign-in
// code reads: Google sign-in is on when a client id is set.

#include "config/config.h"

#include <QString>
#include <QStringList>

struct GoogleSettings
{
    QString clientId;
    QByteArray clientSecret; // sent to the token endpoint only; never logged
    QString callbackUrl; // the redirect_uri registered with Google
    QString discoveryUrl; // the OpenID Provider configuration document
    QStringList allowedDomains; // `hd` values accepted; empty: any Google account

    [[nodiscard]] bool enabled() const { return !clientId.isEmpty(); }

    // From the configuration; the callback defaults to <PUBLIC_URL>/api/auth/google/callback.
    [[nodiscard]] static GoogleSettings fromConfig(const Config &config);
};
