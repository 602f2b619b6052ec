// SPDX-License-Identifier: MIT
#include "rsapublickey.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

using namespace Qt::StringLiterals;

namespace {

ApiError badKey(const QString &detail)
{
    return ApiError {502, u"google-bad-key"_s, u"Unusable signing key"_s, detail, {}, 0};
}

template<typename T, void (*Free)(T *)> struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using BigNum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using KeyContext = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using DigestContext = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;

BigNum bigNum(QByteArrayView bytes)
{
    return BigNum(BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.data()),
                            static_cast<int>(bytes.size()), nullptr));
}

} // namespace

Result<std::shared_ptr<const RsaPublicKey>>
RsaPublicKey::fromModulusExponent(QByteArrayView modulus, QByteArrayView exponent)
{
    if (modulus.isEmpty() || exponent.isEmpty() || exponent.size() > 8
        || modulus.size() > MaxBits / 8 + 1) {
        return badKey(u"The key's modulus or exponent is missing or out of range."_s);
    }
    const BigNum n = bigNum(modulus);
    const BigNum e = bigNum(exponent);
    if (!n || !e) {
        return badKey(u"The key's modulus or exponent could not be read."_s);
    }
    const int bits = BN_num_bits(n.get());
    if (bits < MinBits || bits > MaxBits || !BN_is_odd(e.get()) || BN_is_one(e.get())) {
        return badKey(u"The key is not a usable RSA key (%1-bit modulus)."_s.arg(bits));
    }
    const ParamBuilder builder(OSSL_PARAM_BLD_new());
    if (!builder || !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get())
        || !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get())) {
        return badKey(u"The key could not be built."_s);
    }
    const Params params(OSSL_PARAM_BLD_to_param(builder.get()));
    const KeyContext context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY *key = nullptr;
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) <= 0
        || EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0 || !key) {
        return badKey(u"OpenSSL refused the key."_s);
    }
    return std::shared_ptr<const RsaPublicKey>(new RsaPublicKey(key));
}

RsaPublicKey::~RsaPublicKey()
{
    EVP_PKEY_free(m_key);
}

int RsaPublicKey::bits() const
{
    return EVP_PKEY_get_bits(m_key);
}

bool RsaPublicKey::verifyRs256(QByteArrayView data, QByteArrayView signature) const
{
    // PKCS#1 v1.5 signatures are exactly as long as the modulus.
    if (signature.size() != EVP_PKEY_get_size(m_key)) {
        return false;
    }
    const DigestContext context(EVP_MD_CTX_new());
    if (!context
        || EVP_DigestVerifyInit_ex(context.get(), nullptr, "SHA256", nullptr, nullptr, m_key,
                                   nullptr)
            != 1) {
        return false;
    }
    return EVP_DigestVerify(context.get(),
                            reinterpret_cast<const unsigned char *>(signature.data()),
                            static_cast<size_t>(signature.size()),
                            reinterpret_cast<const unsigned char *>(data.data()),
                            static_cast<size_t>(data.size()))
        == 1;
}
