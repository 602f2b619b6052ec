// SPDX-License-Identifier: MIT
#include "googlesettings.h"

using namespace Qt::StringLiterals;

GoogleSettings GoogleSettings::fromConfig(const Config &config)
{
    GoogleSettings s;
    s.clientId = config.googleClientId;
    s.clientSecret = config.googleClientSecret;
    s.callbackUrl = config.googleCallbackUrl;
    if (s.callbackUrl.isEmpty()) {
        QString base = config.publicUrl;
        while (base.endsWith(u'/')) {
            base.chop(1);
        }
        s.callbackUrl = base + u"/api/auth/google/callback"_s;
    }
    s.discoveryUrl = config.googleDiscoveryUrl;
    s.allowedDomains = config.googleAllowedDomains;
    return s;
}
