// SPDX-License-Identifier: MIT
#pragma once
// The random values of an OAuth redirect: the `state` (ties the callback to the sign-in that
// started it) and PKCE (RFC 7636) with the S256 method, so a stolen authorization code is useless
// without the verifier that only the server holds.

#include <QByteArray>
#include <QString>

namespace Pkce {

// 43-character base64url strings of 32 random bytes (RFC 7636 §4.1 allows 43-128 characters).
[[nodiscard]] QString newVerifier();
[[nodiscard]] QString newState();
// BASE64URL(SHA256(ASCII(verifier))) (RFC 7636 §4.2).
[[nodiscard]] QString challengeS256(const QString &verifier);
// What the database keys a state by: hex SHA-256, so a leaked table holds no usable state.
[[nodiscard]] QByteArray stateHash(const QString &state);

} // namespace Pkce
