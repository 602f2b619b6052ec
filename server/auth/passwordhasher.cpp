// SPDX-License-Identifier: MIT
#include "passwordhasher.h"

#include "core/crypto.h"
#include "core/logging.h"

#include <openssl/crypto.h>

#include <crypt.h>

#include <array>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kHashLength = 60; // "$2b$" + "NN$" + 22 salt + 31 digest characters

bool isBcryptChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
            || c == '/';
}

// The cost of "$2[aby]$NN$<53 chars>", or -1. Checked before calling crypt so that other
// schemes libxcrypt also knows ($1$, $6$, DES…) or the buggy $2x$ are never accepted.
int parseCost(QByteArrayView hash)
{
    if (hash.size() != kHashLength || hash[0] != '$' || hash[1] != '2' || hash[3] != '$'
        || hash[6] != '$') {
        return -1;
    }
    if (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'y') {
        return -1;
    }
    if (hash[4] < '0' || hash[4] > '9' || hash[5] < '0' || hash[5] > '9') {
        return -1;
    }
    for (qsizetype i = 7; i < kHashLength; ++i) {
        if (!isBcryptChar(hash[i])) {
            return -1;
        }
    }
    const int cost = (hash[4] - '0') * 10 + (hash[5] - '0');
    if (cost < PasswordHasher::MinCost || cost > PasswordHasher::MaxCost) {
        return -1;
    }
    return cost;
}

// struct crypt_data is ~32 KiB: too big for worker thread stacks, so it lives on the heap.
// It is wiped afterwards because it holds key material derived from the password.
struct CryptDataDeleter
{
    void operator()(crypt_data *data) const
    {
        OPENSSL_cleanse(data, sizeof(crypt_data));
        delete data;
    }
};
using CryptData = std::unique_ptr<crypt_data, CryptDataDeleter>;

// A NUL-terminated copy for crypt(3), wiped when it goes out of scope.
class SecretCString
{
public:
    explicit SecretCString(QByteArrayView bytes) : m_bytes(bytes.toByteArray()) { }
    ~SecretCString() { OPENSSL_cleanse(m_bytes.data(), static_cast<size_t>(m_bytes.size())); }
    SecretCString(const SecretCString &) = delete;
    SecretCString &operator=(const SecretCString &) = delete;

    [[nodiscard]] const char *get() const { return m_bytes.constData(); }

private:
    QByteArray m_bytes;
};

// crypt_rn returns null on failure, but some builds return a "*…" token instead: both mean no.
QByteArray runCrypt(QByteArrayView password, const char *setting)
{
    const SecretCString phrase(password);
    const CryptData data(new crypt_data{}); // value-initialised: crypt_rn needs it zeroed
    const char *out = crypt_rn(phrase.get(), setting, data.get(), sizeof(crypt_data));
    if (out == nullptr || out[0] == '*') {
        return {};
    }
    return {out};
}

} // namespace

Result<QByteArray> PasswordHasher::hash(QByteArrayView password, int cost)
{
    if (password.size() > MaxPasswordBytes) {
        return ApiError::validation({{u"password"_s, u"must be at most 72 bytes"_s}});
    }
    // crypt(3) reads a C string: everything after a NUL would be silently ignored.
    if (password.contains('\0')) {
        return ApiError::validation({{u"password"_s, u"must not contain NUL characters"_s}});
    }
    if (cost < MinCost || cost > MaxCost) {
        qCCritical(lcAuth) << "bcrypt cost" << cost << "is outside" << MinCost << "to" << MaxCost;
        return ApiError::internal();
    }

    std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> setting{};
    if (crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, setting.data(),
                         static_cast<int>(setting.size()))
        == nullptr) {
        qCCritical(lcAuth) << "crypt_gensalt_rn failed for $2b$ at cost" << cost;
        return ApiError::internal();
    }
    QByteArray result = runCrypt(password, setting.data());
    if (parseCost(result) != cost) {
        qCCritical(lcAuth) << "crypt_rn did not produce a bcrypt hash";
        return ApiError::internal();
    }
    return result;
}

bool PasswordHasher::verify(QByteArrayView password, QByteArrayView storedHash)
{
    if (parseCost(storedHash) < 0 || password.contains('\0')) {
        return false;
    }
    const QByteArray setting = storedHash.toByteArray(); // NUL-terminated for crypt
    const QByteArray computed = runCrypt(password, setting.constData());
    return !computed.isEmpty() && Crypto::constantTimeEquals(computed, storedHash);
}

int PasswordHasher::costOf(QByteArrayView hash)
{
    return parseCost(hash);
}
