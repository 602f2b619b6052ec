// SPDX-License-Identifier: MIT
#pragma once
// An RSA public key from a JSON Web Key's modulus and exponent (RFC 7518 §6.3.1), and RS256
// signature checks with it (RSASSA-PKCS1-v1_5 with SHA-256), all through OpenSSL 3's libcrypto:
// EVP_PKEY_fromdata builds the key, EVP_DigestVerify checks. Immutable once built, so one key may
// be shared by several threads.

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

struct evp_pkey_st;

class RsaPublicKey
{
public:
    // Smallest modulus accepted: Google signs with 2048-bit keys; anything weaker is refused.
    static constexpr int MinBits = 2048;
    static constexpr int MaxBits = 8192;

    // From the big-endian bytes of n and e (the JWK's base64url "n" and "e", decoded).
    [[nodiscard]] static Result<std::shared_ptr<const RsaPublicKey>>
    fromModulusExponent(QByteArrayView modulus, QByteArrayView exponent);

    ~RsaPublicKey();
    Q_DISABLE_COPY_MOVE(RsaPublicKey)

    // Whether `signature` is this key's RS256 signature of `data`.
    [[nodiscard]] bool verifyRs256(QByteArrayView data, QByteArrayView signature) const;
    [[nodiscard]] int bits() const;

private:
    explicit RsaPublicKey(evp_pkey_st *key) : m_key(key) { }
    evp_pkey_st *m_key;
};
