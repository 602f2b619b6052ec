// SPDX-License-Identifier: MIT
#include "crypto.h"

#include <QtGlobal>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <string_view>

namespace {

constexpr int kSha256Size = 32;

// OpenSSL wants a valid pointer even for zero-length input; an empty QByteArrayView may be null.
const unsigned char *bytesOf(QByteArrayView view)
{
    static const unsigned char empty = 0;
    return view.isEmpty() ? &empty : reinterpret_cast<const unsigned char *>(view.data());
}

constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr quint8 kNotInAlphabet = 0xFF;

// Reverse lookup: 6-bit value of each base64url character, kNotInAlphabet for everything else.
constexpr std::array<quint8, 256> makeDecodeTable()
{
    std::array<quint8, 256> table{};
    for (auto &entry : table) {
        entry = kNotInAlphabet;
    }
    for (size_t i = 0; i < kAlphabet.size(); ++i) {
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<quint8>(i);
    }
    return table;
}

constexpr std::array<quint8, 256> kDecodeTable = makeDecodeTable();

} // namespace

namespace Crypto {

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size()) {
        return false;
    }
    if (a.isEmpty()) {
        return true;
    }
    return CRYPTO_memcmp(a.data(), b.data(), static_cast<size_t>(a.size())) == 0;
}

QByteArray randomBytes(int n)
{
    if (n <= 0) {
        return {};
    }
    QByteArray out(n, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), n) != 1) {
        // No recoverable answer exists: callers build session tokens and ids from this.
        qFatal("OpenSSL RAND_bytes failed; refusing to continue without a working CSPRNG");
    }
    return out;
}

QByteArray sha256(QByteArrayView data)
{
    QByteArray out(kSha256Size, Qt::Uninitialized);
    unsigned int length = 0;
    if (EVP_Digest(bytesOf(data), static_cast<size_t>(data.size()),
                   reinterpret_cast<unsigned char *>(out.data()), &length, EVP_sha256(), nullptr)
                != 1
        || length != kSha256Size) {
        return {};
    }
    return out;
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data)
{
    QByteArray out(kSha256Size, Qt::Uninitialized);
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), bytesOf(key), static_cast<int>(key.size()), bytesOf(data),
             static_cast<size_t>(data.size()), reinterpret_cast<unsigned char *>(out.data()),
             &length)
                == nullptr
        || length != kSha256Size) {
        return {};
    }
    return out;
}

QByteArray hmacSha1(QByteArrayView key, QByteArrayView data)
{
    constexpr unsigned int kSha1Size = 20;
    QByteArray out(kSha1Size, Qt::Uninitialized);
    unsigned int length = 0;
    if (HMAC(EVP_sha1(), bytesOf(key), static_cast<int>(key.size()), bytesOf(data),
             static_cast<size_t>(data.size()), reinterpret_cast<unsigned char *>(out.data()),
             &length)
                == nullptr
        || length != kSha1Size) {
        return {};
    }
    return out;
}

QByteArray base64UrlEncode(QByteArrayView data)
{
    return data.toByteArray().toBase64(QByteArray::Base64UrlEncoding
                                       | QByteArray::OmitTrailingEquals);
}

std::optional<QByteArray> base64UrlDecode(QByteArrayView text)
{
    // A single leftover character carries only 6 bits: no byte string encodes to that length.
    if (text.size() % 4 == 1) {
        return std::nullopt;
    }
    QByteArray out;
    out.reserve(text.size() * 3 / 4);
    quint32 buffer = 0;
    int bits = 0;
    for (const char c : text) {
        const quint8 value = kDecodeTable[static_cast<unsigned char>(c)];
        if (value == kNotInAlphabet) {
            return std::nullopt;
        }
        buffer = (buffer << 6) | value;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.append(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    // Leftover bits are padding; non-zero ones would mean a second spelling of the same bytes.
    if ((buffer & ((1U << bits) - 1U)) != 0) {
        return std::nullopt;
    }
    return out;
}

QString randomToken(int bytes)
{
    return QString::fromLatin1(base64UrlEncode(randomBytes(bytes)));
}

} // namespace Crypto
