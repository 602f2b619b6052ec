// SPDX-License-Identifier: MIT
// The Google ID-token verifier on its own: RS256 keys built from a JWK's n/e (OpenSSL), the
// signature, every claim rule (iss, aud, exp/iat with skew, email_verified, hd), the header
// checks (alg pinned, kid required), JWKS parsing and Cache-Control max-age. Tokens are signed
// here with OpenSSL keys made for the test, as Google signs them (RSASSA-PKCS1-v1_5 + SHA-256).

#include "auth/google/googlehttp.h"
#include "auth/google/googleidtoken.h"
#include "auth/google/jwkscache.h"
#include "auth/google/rsapublickey.h"
#include "core/crypto.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kNow = 1'750'000'000;
const QString kClientId = u"1234.apps.googleusercontent.com"_s;

// A test key pair: the private half signs, the public half as Google's JWKS would carry it.
struct TestKey
{
    EVP_PKEY *pkey = nullptr;
    QByteArray n;
    QByteArray e;
    explicit TestKey(int bits = 2048)
    {
        pkey = EVP_RSA_gen(static_cast<unsigned int>(bits));
        BIGNUM *bn = nullptr;
        EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &bn);
        n.resize(BN_num_bytes(bn));
        BN_bn2bin(bn, reinterpret_cast<unsigned char *>(n.data()));
        BN_free(bn);
        bn = nullptr;
        EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &bn);
        e.resize(BN_num_bytes(bn));
        BN_bn2bin(bn, reinterpret_cast<unsigned char *>(e.data()));
        BN_free(bn);
    }
    ~TestKey() { EVP_PKEY_free(pkey); }
    Q_DISABLE_COPY_MOVE(TestKey)

    QByteArray sign(const QByteArray &data) const
    {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        size_t size = 0;
        EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pkey);
        EVP_DigestSign(ctx, nullptr, &size, reinterpret_cast<const unsigned char *>(data.data()),
                       size_t(data.size()));
        QByteArray signature(qsizetype(size), '\0');
        EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(signature.data()), &size,
                       reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size()));
        EVP_MD_CTX_free(ctx);
        signature.truncate(qsizetype(size));
        return signature;
    }
    std::shared_ptr<const RsaPublicKey> publicKey() const
    {
        return RsaPublicKey::fromModulusExponent(n, e).value();
    }
};

QByteArray part(const QJsonObject &object)
{
    return Crypto::base64UrlEncode(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject goodClaims()
{
    return QJsonObject {{u"iss"_s, u"https://accounts.google.com"_s},
                        {u"aud"_s, kClientId},
                        {u"azp"_s, kClientId},
                        {u"sub"_s, u"110169484474386276334"_s},
                        {u"email"_s, u"Grace@Example.com"_s},
                        {u"email_verified"_s, true},
                        {u"name"_s, u"Grace Hopper"_s},
                        {u"picture"_s, u"https://lh3.example/photo"_s},
                        {u"hd"_s, u"example.com"_s},
                        {u"iat"_s, kNow - 10},
                        {u"exp"_s, kNow + 3590}};
}

QByteArray token(const TestKey &key, const QJsonObject &claims,
                 const QJsonObject &header
                 = {{u"alg"_s, u"RS256"_s}, {u"kid"_s, u"k1"_s}, {u"typ"_s, u"JWT"_s}})
{
    const QByteArray input = part(header) + '.' + part(claims);
    return input + '.' + Crypto::base64UrlEncode(key.sign(input));
}

IdTokenRules rules(QStringList domains = {})
{
    IdTokenRules r;
    r.issuers = {u"accounts.google.com"_s, u"https://accounts.google.com"_s};
    r.audience = kClientId;
    r.allowedDomains = std::move(domains);
    r.nowSecs = kNow;
    r.skewSecs = 60;
    return r;
}

Result<GoogleIdentity> check(const TestKey &key, const QByteArray &jwt,
                             const IdTokenRules &r = rules())
{
    Result<UnverifiedIdToken> parsed = GoogleIdToken::parse(jwt);
    if (!parsed) {
        return parsed.error();
    }
    return GoogleIdToken::verify(parsed.value(), *key.publicKey(), r);
}

QJsonObject with(QJsonObject claims, const QString &name, const QJsonValue &value)
{
    if (value.isUndefined()) {
        claims.remove(name);
    } else {
        claims.insert(name, value);
    }
    return claims;
}

} // namespace

class TestGoogleIdToken : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptsAGoodToken()
    {
        TestKey key;
        Result<GoogleIdentity> identity = check(key, token(key, goodClaims()));
        QVERIFY2(identity.ok(), identity.ok() ? "" : qPrintable(identity.error().detail));
        QCOMPARE(identity->subject, u"110169484474386276334"_s);
        QCOMPARE(identity->email, u"grace@example.com"_s);
        QCOMPARE(identity->name, u"Grace Hopper"_s);
        QCOMPARE(identity->hostedDomain, u"example.com"_s);
        QCOMPARE(GoogleIdToken::parse(token(key, goodClaims()))->keyId, u"k1"_s);
    }

    void refusesBadSignatures()
    {
        TestKey key;
        TestKey other;
        QCOMPARE(check(key, token(other, goodClaims())).error().type, u"google-invalid-token"_s);
        // Claims changed after signing.
        QByteArray jwt = token(key, goodClaims());
        const QList<QByteArray> parts = jwt.split('.');
        const QByteArray forged
            = parts[0] + '.' + part(with(goodClaims(), u"sub"_s, u"1"_s)) + '.' + parts[2];
        QCOMPARE(check(key, forged).error().status, 401);
        // A truncated signature.
        QCOMPARE(check(key, jwt.left(jwt.size() - 4)).error().status, 401);
    }

    void pinsTheAlgorithmAndNeedsAKid()
    {
        TestKey key;
        const QJsonObject claims = goodClaims();
        QVERIFY(!GoogleIdToken::parse(
            token(key, claims, {{u"alg"_s, u"HS256"_s}, {u"kid"_s, u"k1"_s}})));
        QVERIFY(!GoogleIdToken::parse(
            token(key, claims, {{u"alg"_s, u"none"_s}, {u"kid"_s, u"k1"_s}})));
        QVERIFY(!GoogleIdToken::parse(token(key, claims, {{u"alg"_s, u"RS256"_s}})));
        QVERIFY(!GoogleIdToken::parse("a.b"));
        QVERIFY(!GoogleIdToken::parse(""));
        QVERIFY(!GoogleIdToken::parse(QByteArray(GoogleIdToken::MaxBytes + 1, 'a')));
    }

    void checksIssuerAndAudience()
    {
        TestKey key;
        QVERIFY(check(key, token(key, with(goodClaims(), u"iss"_s, u"accounts.google.com"_s))));
        QCOMPARE(check(key, token(key, with(goodClaims(), u"iss"_s, u"https://evil.example"_s)))
                     .error()
                     .status,
                 401);
        QCOMPARE(
            check(key,
                  token(key, with(goodClaims(), u"aud"_s, u"other.apps.googleusercontent.com"_s)))
                .error()
                .status,
            401);
        QCOMPARE(check(key, token(key, with(goodClaims(), u"aud"_s, QJsonValue::Undefined)))
                     .error()
                     .status,
                 401);
        QVERIFY(
            check(key, token(key, with(goodClaims(), u"aud"_s, QJsonArray {u"x"_s, kClientId}))));
    }

    void checksTimesWithSkew()
    {
        TestKey key;
        QVERIFY(check(key, token(key, with(goodClaims(), u"exp"_s, kNow - 30)))); // within skew
        QCOMPARE(check(key, token(key, with(goodClaims(), u"exp"_s, kNow - 61))).error().status,
                 401);
        QCOMPARE(check(key, token(key, with(goodClaims(), u"iat"_s, kNow + 120))).error().status,
                 401);
        QVERIFY(check(key, token(key, with(goodClaims(), u"iat"_s, kNow + 30))));
        QCOMPARE(check(key, token(key, with(goodClaims(), u"exp"_s, QJsonValue::Undefined)))
                     .error()
                     .status,
                 401);
        QCOMPARE(check(key, token(key, with(goodClaims(), u"exp"_s, u"soon"_s))).error().status,
                 401);
    }

    void needsAVerifiedEmail()
    {
        TestKey key;
        QCOMPARE(
            check(key, token(key, with(goodClaims(), u"email_verified"_s, false))).error().type,
            u"google-email-unverified"_s);
        QCOMPARE(
            check(key, token(key, with(goodClaims(), u"email_verified"_s, QJsonValue::Undefined)))
                .error()
                .status,
            403);
        QCOMPARE(check(key, token(key, with(goodClaims(), u"email"_s, QJsonValue::Undefined)))
                     .error()
                     .status,
                 403);
        QVERIFY(check(key, token(key, with(goodClaims(), u"email_verified"_s, u"true"_s))));
        QCOMPARE(check(key, token(key, with(goodClaims(), u"sub"_s, QJsonValue::Undefined)))
                     .error()
                     .status,
                 401);
    }

    void hostedDomainAllowList()
    {
        TestKey key;
        QVERIFY(check(key, token(key, goodClaims()), rules({u"example.com"_s})));
        QCOMPARE(check(key, token(key, goodClaims()), rules({u"corp.example"_s})).error().type,
                 u"google-domain-not-allowed"_s);
        QCOMPARE(check(key, token(key, with(goodClaims(), u"hd"_s, QJsonValue::Undefined)),
                       rules({u"example.com"_s}))
                     .error()
                     .status,
                 403);
    }

    void refusesWeakOrBrokenKeys()
    {
        TestKey weak(1024);
        QVERIFY(!RsaPublicKey::fromModulusExponent(weak.n, weak.e));
        QVERIFY(!RsaPublicKey::fromModulusExponent({}, weak.e));
        TestKey key;
        QVERIFY(!RsaPublicKey::fromModulusExponent(key.n, QByteArray("\x02", 1))); // even e
        QCOMPARE(key.publicKey()->bits(), 2048);
    }

    void parsesJwks()
    {
        TestKey a;
        TestKey b;
        const auto jwk = [](const TestKey &k, const QString &kid) {
            return QJsonObject {{u"kty"_s, u"RSA"_s},
                                {u"use"_s, u"sig"_s},
                                {u"alg"_s, u"RS256"_s},
                                {u"kid"_s, kid},
                                {u"n"_s, QString::fromLatin1(Crypto::base64UrlEncode(k.n))},
                                {u"e"_s, QString::fromLatin1(Crypto::base64UrlEncode(k.e))}};
        };
        QJsonObject encryption = jwk(b, u"enc"_s);
        encryption.insert(u"use"_s, u"enc"_s);
        const QJsonObject jwks {
            {u"keys"_s,
             QJsonArray {jwk(a, u"a"_s), jwk(b, u"b"_s), encryption,
                         QJsonObject {{u"kty"_s, u"EC"_s}, {u"kid"_s, u"ec"_s}}}}};
        const auto keys = JwksCache::parse(jwks);
        QCOMPARE(keys.size(), 2);
        Result<UnverifiedIdToken> parsed = GoogleIdToken::parse(
            token(b, goodClaims(), {{u"alg"_s, u"RS256"_s}, {u"kid"_s, u"b"_s}}));
        QVERIFY(GoogleIdToken::verify(parsed.value(), *keys.value(u"b"_s), rules()));
        QVERIFY(!GoogleIdToken::verify(parsed.value(), *keys.value(u"a"_s), rules()));
    }

    void readsCacheControl()
    {
        QCOMPARE(GoogleHttp::maxAge("public, max-age=19845, must-revalidate, no-transform"), 19845);
        QCOMPARE(GoogleHttp::maxAge("no-cache, no-store, max-age=0, must-revalidate"), 0);
        QCOMPARE(GoogleHttp::maxAge("private"), std::nullopt);
        QCOMPARE(GoogleHttp::maxAge(""), std::nullopt);
        QCOMPARE(GoogleHttp::maxAge("max-age=abc"), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestGoogleIdToken)
#include "tst_googleidtoken.moc"
