// SPDX-License-Identifier: MIT
#pragma once
// Small cryptographic building blocks over OpenSSL, so the rest of the code never calls OpenSSL
// directly: constant-time comparison, CSPRNG bytes, SHA-256, HMAC-SHA256 and strict base64url.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace Crypto {

// True when a and b hold the same bytes. The time taken depends only on the lengths, never on
// where the contents differ, so secrets (MACs, token hashes) can be compared safely. Lengths are
// not treated as secret: different lengths return false at once.
[[nodiscard]] bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

// n bytes from OpenSSL's CSPRNG; empty for n <= 0. Aborts the process if the CSPRNG fails:
// predictable "random" bytes would silently break every token and id built on them.
[[nodiscard]] QByteArray randomBytes(int n);

// Raw 32-byte digests.
[[nodiscard]] QByteArray sha256(QByteArrayView data);
[[nodiscard]] QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);
// HMAC-SHA1: only for Twilio's webhook signatures, which are defined with it.
[[nodiscard]] QByteArray hmacSha1(QByteArrayView key, QByteArrayView data);

// RFC 4648 §5 base64url without '=' padding (the JWT form).
[[nodiscard]] QByteArray base64UrlEncode(QByteArrayView data);

// Strict inverse of base64UrlEncode: only [A-Za-z0-9_-], no padding, no whitespace, no
// impossible length, and unused trailing bits must be zero, so each byte string has exactly one
// accepted encoding (a token cannot be altered into a different string that still verifies).
[[nodiscard]] std::optional<QByteArray> base64UrlDecode(QByteArrayView text);

// An unguessable URL-safe token carrying `bytes` random bytes (e.g. 32 → 43 characters).
[[nodiscard]] QString randomToken(int bytes);

} // namespace Crypto
