// SPDX-License-Identifier: MIT
#include "pkce.h"

#include "core/crypto.h"

namespace Pkce {

QString newVerifier()
{
    return Crypto::randomToken(32);
}

QString newState()
{
    return Crypto::randomToken(32);
}

QString challengeS256(const QString &verifier)
{
    return QString::fromLatin1(Crypto::base64UrlEncode(Crypto::sha256(verifier.toLatin1())));
}

QByteArray stateHash(const QString &state)
{
    return Crypto::sha256(state.toUtf8()).toHex();
}

} // namespace Pkce
