// SPDX-License-Identifier: MIT
// Jwt: HS256 tokens round-trip, tokens from Node's jsonwebtoken verify, and every kind of bad
// token (tampered, wrong algorithm, expired, not yet valid, malformed) is a 401 saying why.

#include "auth/jwt.h"
#include "core/crypto.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr QByteArrayView kSecret = "unit-test-secret-0123456789abcdef";
constexpr qint64 kNow = 1'750'000'000;
constexpr qint64 kFarFuture = 4'102'444'800; // 2100-01-01

// Made by the Node backend's library (jsonwebtoken 9.0.3):
//   jwt.sign({sub: 'user-123', role: 'agent', iat: 1700000000, exp: 4102444800},
//            'node-shared-secret', {algorithm: 'HS256'})
constexpr QByteArrayView kNodeSecret = "node-shared-secret";
constexpr QByteArrayView kNodeToken =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        "eyJzdWIiOiJ1c2VyLTEyMyIsInJvbGUiOiJhZ2VudCIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjo0MTAy"
        "NDQ0ODAwfQ."
        "6rZvGaXCntkvMN3heC6HzIMhMPRfF18kLjo5XmHfdwk";

constexpr QByteArrayView kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

// A token with any header and payload, signed (HMAC-SHA256) with `secret` whatever the header
// claims, to build the hostile cases.
QByteArray makeToken(QByteArrayView header, QByteArrayView payload,
                     QByteArrayView secret = kSecret)
{
    const QByteArray signingInput =
            Crypto::base64UrlEncode(header) + '.' + Crypto::base64UrlEncode(payload);
    return signingInput + '.' + Crypto::base64UrlEncode(Crypto::hmacSha256(secret, signingInput));
}

QByteArray claimsJson(qint64 exp, const QByteArray &extra = {})
{
    return R"({"sub":"user-1","exp":)" + QByteArray::number(exp) + extra + '}';
}

} // namespace

class TestJwt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signedTokenRoundTrips();
    void signedTokenUsesTheStandardEncoding();
    void tokenFromNodeJsonwebtokenVerifies();
    void accepted_data();
    void accepted();
    void rejected_data();
    void rejected();
    void emptySecretIsAServerError();
};

void TestJwt::signedTokenRoundTrips()
{
    const QJsonObject claims{{u"sub"_s, u"0190b6e4-1c2a-7d3e-8f00-0123456789ab"_s},
                             {u"role"_s, u"admin"_s},
                             {u"iat"_s, kNow},
                             {u"exp"_s, kNow + 900}};
    const QByteArray token = Jwt::signHs256(claims, kSecret);
    QCOMPARE(token.count('.'), 2);

    const Result<QJsonObject> verified = Jwt::verifyHs256(token, kSecret, kNow);
    QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().detail));
    QCOMPARE(verified.value(), claims);
}

void TestJwt::signedTokenUsesTheStandardEncoding()
{
    const QByteArray token =
            Jwt::signHs256({{u"sub"_s, u"user-1"_s}, {u"exp"_s, kFarFuture}}, kSecret);
    const QList<QByteArray> parts = token.split('.');
    QCOMPARE(parts.size(), 3);
    // Byte for byte what jsonwebtoken writes, base64url without padding.
    QCOMPARE(parts.at(0), "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"_ba);
    // Compact JSON, and NumericDates as integers rather than 4.1024448e+09.
    QCOMPARE(Crypto::base64UrlDecode(parts.at(1)).value(),
             R"({"exp":4102444800,"sub":"user-1"})"_ba);
    QCOMPARE(parts.at(2).size(), 43);
    QVERIFY(!token.contains('='));
}

void TestJwt::tokenFromNodeJsonwebtokenVerifies()
{
    const Result<QJsonObject> verified = Jwt::verifyHs256(kNodeToken, kNodeSecret, kNow);
    QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().detail));
    QCOMPARE(verified->value("sub"_L1).toString(), u"user-123"_s);
    QCOMPARE(verified->value("role"_L1).toString(), u"agent"_s);
    QCOMPARE(verified->value("iat"_L1).toInteger(), 1'700'000'000);
    QCOMPARE(verified->value("exp"_L1).toInteger(), kFarFuture);

    QCOMPARE(Jwt::verifyHs256(kNodeToken, kSecret, kNow).error().detail,
             u"Invalid token signature"_s);
}

void TestJwt::accepted_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<int>("leeway");

    const QByteArray header = kHs256Header.toByteArray();
    QTest::addRow("exp far in the future") << makeToken(header, claimsJson(kFarFuture)) << 30;
    QTest::addRow("exp one second ahead") << makeToken(header, claimsJson(kNow + 1)) << 0;
    QTest::addRow("expired 10s ago, within 30s leeway")
            << makeToken(header, claimsJson(kNow - 10)) << 30;
    QTest::addRow("expired 29s ago, within 30s leeway")
            << makeToken(header, claimsJson(kNow - 29)) << 30;
    QTest::addRow("nbf in the past")
            << makeToken(header,
                         claimsJson(kFarFuture, R"(,"nbf":)" + QByteArray::number(kNow - 60)))
            << 30;
    QTest::addRow("nbf now")
            << makeToken(header, claimsJson(kFarFuture, R"(,"nbf":)" + QByteArray::number(kNow)))
            << 0;
    QTest::addRow("nbf 10s ahead, within 30s leeway")
            << makeToken(header,
                         claimsJson(kFarFuture, R"(,"nbf":)" + QByteArray::number(kNow + 10)))
            << 30;
    QTest::addRow("fractional exp")
            << makeToken(header, R"({"exp":4102444800.5})"_ba) << 30;
    QTest::addRow("iat numeric")
            << makeToken(header, claimsJson(kFarFuture, R"(,"iat":)" + QByteArray::number(kNow)))
            << 30;
    QTest::addRow("header without typ")
            << makeToken(R"({"alg":"HS256"})", claimsJson(kFarFuture)) << 30;
    QTest::addRow("header keys in another order")
            << makeToken(R"({"typ":"JWT","alg":"HS256"})", claimsJson(kFarFuture)) << 30;
}

void TestJwt::accepted()
{
    QFETCH(QByteArray, token);
    QFETCH(int, leeway);

    const Result<QJsonObject> verified = Jwt::verifyHs256(token, kSecret, kNow, leeway);
    QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().detail));
}

void TestJwt::rejected_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("detail");

    const QByteArray header = kHs256Header.toByteArray();
    const QByteArray good = makeToken(header, claimsJson(kFarFuture));
    const QList<QByteArray> parts = good.split('.');

    // Tampering: a valid signature over different content, or a changed signature.
    const QByteArray escalated = Crypto::base64UrlEncode(
            R"({"sub":"user-1","exp":4102444800,"role":"admin"})");
    QTest::addRow("tampered payload")
            << QByteArray(parts[0] + '.' + escalated + '.' + parts[2])
            << u"Invalid token signature"_s;
    QByteArray flipped = parts[2];
    flipped[0] = flipped[0] == 'A' ? 'B' : 'A';
    QTest::addRow("tampered signature")
            << QByteArray(parts[0] + '.' + parts[1] + '.' + flipped)
            << u"Invalid token signature"_s;
    QTest::addRow("signature from another secret")
            << makeToken(header, claimsJson(kFarFuture), "other-secret")
            << u"Invalid token signature"_s;
    QTest::addRow("empty signature")
            << QByteArray(parts[0] + '.' + parts[1] + '.') << u"Invalid token signature"_s;
    QTest::addRow("truncated signature")
            << QByteArray(parts[0] + '.' + parts[1] + '.' + parts[2].first(40))
            << u"Invalid token signature"_s;

    // Algorithm: only HS256, whatever the token says, even when the HMAC would match.
    QTest::addRow("alg none, unsigned")
            << QByteArray(Crypto::base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + '.'
                          + parts[1] + '.')
            << u"Unsupported token algorithm"_s;
    QTest::addRow("alg none, signed")
            << makeToken(R"({"alg":"none","typ":"JWT"})", claimsJson(kFarFuture))
            << u"Unsupported token algorithm"_s;
    QTest::addRow("alg RS256")
            << makeToken(R"({"alg":"RS256","typ":"JWT"})", claimsJson(kFarFuture))
            << u"Unsupported token algorithm"_s;
    QTest::addRow("alg HS512")
            << makeToken(R"({"alg":"HS512","typ":"JWT"})", claimsJson(kFarFuture))
            << u"Unsupported token algorithm"_s;
    QTest::addRow("alg lower case")
            << makeToken(R"({"alg":"hs256","typ":"JWT"})", claimsJson(kFarFuture))
            << u"Unsupported token algorithm"_s;
    QTest::addRow("alg missing")
            << makeToken(R"({"typ":"JWT"})", claimsJson(kFarFuture))
            << u"Unsupported token algorithm"_s;
    QTest::addRow("alg not a string")
            << makeToken(R"({"alg":["HS256"]})", claimsJson(kFarFuture))
            << u"Unsupported token algorithm"_s;
    QTest::addRow("crit header")
            << makeToken(R"({"alg":"HS256","crit":["exp"],"exp":1})", claimsJson(kFarFuture))
            << u"Unsupported token header"_s;

    // Time claims.
    QTest::addRow("expired beyond leeway")
            << makeToken(header, claimsJson(kNow - 31)) << u"Token expired"_s;
    QTest::addRow("expired exactly at leeway")
            << makeToken(header, claimsJson(kNow - 30)) << u"Token expired"_s;
    QTest::addRow("expired long ago")
            << makeToken(header, claimsJson(1'000'000'000)) << u"Token expired"_s;
    QTest::addRow("nbf in the future")
            << makeToken(header,
                         claimsJson(kFarFuture, R"(,"nbf":)" + QByteArray::number(kNow + 31)))
            << u"Token not yet valid"_s;
    QTest::addRow("exp missing")
            << makeToken(header, R"({"sub":"user-1"})") << u"Token has no expiry"_s;
    QTest::addRow("exp a string")
            << makeToken(header, R"({"sub":"user-1","exp":"4102444800"})")
            << u"Malformed token expiry"_s;
    QTest::addRow("exp null")
            << makeToken(header, R"({"sub":"user-1","exp":null})") << u"Malformed token expiry"_s;
    QTest::addRow("nbf a string")
            << makeToken(header, claimsJson(kFarFuture, R"(,"nbf":"0")"))
            << u"Malformed token not-before"_s;
    QTest::addRow("iat a string")
            << makeToken(header, claimsJson(kFarFuture, R"(,"iat":"yesterday")"))
            << u"Malformed token issued-at"_s;

    // Shape.
    QTest::addRow("empty") << QByteArray() << u"Malformed token"_s;
    QTest::addRow("2 parts") << QByteArray(parts[0] + '.' + parts[1]) << u"Malformed token"_s;
    QTest::addRow("4 parts") << QByteArray(good + '.' + parts[2]) << u"Malformed token"_s;
    QTest::addRow("trailing dot") << QByteArray(good + '.') << u"Malformed token"_s;
    QTest::addRow("garbage base64") << "!!!.@@@.###"_ba << u"Malformed token"_s;
    QTest::addRow("padded signature") << QByteArray(good + '=') << u"Malformed token"_s;
    QTest::addRow("padded header")
            << QByteArray(parts[0] + "=." + parts[1] + '.' + parts[2]) << u"Malformed token"_s;
    QTest::addRow("bearer prefix left on") << QByteArray("Bearer " + good) << u"Malformed token"_s;
    QTest::addRow("header not JSON")
            << makeToken("HS256", claimsJson(kFarFuture)) << u"Malformed token"_s;
    QTest::addRow("header a JSON array")
            << makeToken(R"(["HS256"])", claimsJson(kFarFuture)) << u"Malformed token"_s;
    QTest::addRow("payload not JSON") << makeToken(header, "sub=user-1") << u"Malformed token"_s;
    QTest::addRow("payload a JSON array")
            << makeToken(header, "[4102444800]") << u"Malformed token"_s;
    QTest::addRow("too long")
            << makeToken(header,
                         claimsJson(kFarFuture, R"(,"pad":")" + QByteArray(9000, 'x') + '"'))
            << u"Malformed token"_s;
}

void TestJwt::rejected()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, detail);

    const Result<QJsonObject> verified = Jwt::verifyHs256(token, kSecret, kNow);
    QVERIFY(!verified.ok());
    QCOMPARE(verified.error().status, 401);
    QCOMPARE(verified.error().detail, detail);
}

void TestJwt::emptySecretIsAServerError()
{
    QTest::ignoreMessage(QtCriticalMsg, "refusing to sign a token with an empty secret");
    QVERIFY(Jwt::signHs256({{u"exp"_s, kFarFuture}}, {}).isEmpty());

    // A token "signed" with an empty key must not verify against an empty configured secret.
    const QByteArray token = makeToken(kHs256Header, claimsJson(kFarFuture), {});
    QTest::ignoreMessage(QtCriticalMsg, "refusing to verify a token against an empty secret");
    QCOMPARE(Jwt::verifyHs256(token, {}, kNow).error().status, 500);
}

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
