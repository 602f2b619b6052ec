// SPDX-License-Identifier: MIT
// Crypto primitives: constant-time comparison, strict base64url, and SHA-256 / HMAC-SHA256
// against published vectors (FIPS 180-2 examples, RFC 4231).

#include "core/crypto.h"

#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCrypto : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void constantTimeEquals_data();
    void constantTimeEquals();

    void base64UrlRoundTrip_data();
    void base64UrlRoundTrip();
    void base64UrlRoundTripsEveryLengthAndByte();
    void base64UrlDecodeRejectsInvalidInput_data();
    void base64UrlDecodeRejectsInvalidInput();

    void sha256KnownVectors_data();
    void sha256KnownVectors();
    void hmacSha256KnownVectors_data();
    void hmacSha256KnownVectors();

    void randomBytesHasRequestedSizeAndVaries();
    void randomTokenIsUrlSafe();
};

void TestCrypto::constantTimeEquals_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");

    QTest::addRow("same bytes") << "secret-token"_ba << "secret-token"_ba << true;
    QTest::addRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::addRow("null vs empty") << QByteArray() << ""_ba << true;
    QTest::addRow("first byte differs") << "Xecret-token"_ba << "secret-token"_ba << false;
    QTest::addRow("last byte differs") << "secret-tokeN"_ba << "secret-token"_ba << false;
    QTest::addRow("prefix is shorter") << "secret"_ba << "secret-token"_ba << false;
    QTest::addRow("longer than other") << "secret-token!"_ba << "secret-token"_ba << false;
    QTest::addRow("empty vs non-empty") << QByteArray() << "x"_ba << false;
    QTest::addRow("embedded NUL compared")
            << QByteArray("ab\0c", 4) << QByteArray("ab\0d", 4) << false;
    QTest::addRow("binary equal") << QByteArray(32, '\xff') << QByteArray(32, '\xff') << true;
}

void TestCrypto::constantTimeEquals()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);

    QCOMPARE(Crypto::constantTimeEquals(a, b), equal);
    QCOMPARE(Crypto::constantTimeEquals(b, a), equal);
}

void TestCrypto::base64UrlRoundTrip_data()
{
    QTest::addColumn<QByteArray>("decoded");
    QTest::addColumn<QByteArray>("encoded");

    // RFC 4648 §10 vectors without padding, plus bytes that map to '-' and '_'.
    QTest::addRow("empty") << QByteArray() << QByteArray();
    QTest::addRow("f") << "f"_ba << "Zg"_ba;
    QTest::addRow("fo") << "fo"_ba << "Zm8"_ba;
    QTest::addRow("foo") << "foo"_ba << "Zm9v"_ba;
    QTest::addRow("foob") << "foob"_ba << "Zm9vYg"_ba;
    QTest::addRow("fooba") << "fooba"_ba << "Zm9vYmE"_ba;
    QTest::addRow("foobar") << "foobar"_ba << "Zm9vYmFy"_ba;
    QTest::addRow("url-safe alphabet") << "\xfb\xff\xbf"_ba << "-_-_"_ba;
    QTest::addRow("jwt header")
            << R"({"alg":"HS256","typ":"JWT"})"_ba << "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"_ba;
}

void TestCrypto::base64UrlRoundTrip()
{
    QFETCH(QByteArray, decoded);
    QFETCH(QByteArray, encoded);

    QCOMPARE(Crypto::base64UrlEncode(decoded), encoded);
    const std::optional<QByteArray> back = Crypto::base64UrlDecode(encoded);
    QVERIFY(back.has_value());
    QCOMPARE(*back, decoded);
}

void TestCrypto::base64UrlRoundTripsEveryLengthAndByte()
{
    QByteArray allBytes;
    for (int i = 0; i < 256; ++i) {
        allBytes.append(static_cast<char>(i));
    }
    for (qsizetype length = 0; length <= allBytes.size(); ++length) {
        const QByteArray data = allBytes.first(length);
        const QByteArray encoded = Crypto::base64UrlEncode(data);
        QVERIFY2(!encoded.contains('=') && !encoded.contains('+') && !encoded.contains('/'),
                 encoded.constData());
        QCOMPARE(Crypto::base64UrlDecode(encoded), std::optional<QByteArray>(data));
    }
    const QByteArray random = Crypto::randomBytes(1000);
    QCOMPARE(Crypto::base64UrlDecode(Crypto::base64UrlEncode(random)),
             std::optional<QByteArray>(random));
}

void TestCrypto::base64UrlDecodeRejectsInvalidInput_data()
{
    QTest::addColumn<QByteArray>("input");

    QTest::addRow("padding") << "Zg=="_ba;
    QTest::addRow("single padding") << "Zm8="_ba;
    QTest::addRow("standard alphabet plus") << "+_8"_ba;
    QTest::addRow("standard alphabet slash") << "-/8"_ba;
    QTest::addRow("space inside") << "Zm9v Yg"_ba;
    QTest::addRow("trailing newline") << "Zm8\n"_ba;
    QTest::addRow("dot") << "Zm9v.Yg"_ba;
    QTest::addRow("impossible length") << "Zm9vY"_ba;
    QTest::addRow("single character") << "Z"_ba;
    QTest::addRow("non-zero trailing bits") << "Zh"_ba;
    QTest::addRow("non-zero trailing bits, 2 bytes") << "Zm9"_ba;
    QTest::addRow("non-ascii") << "Zm9v\xc3\xa9"_ba;
    QTest::addRow("embedded NUL") << QByteArray("Zm\0v", 4);
}

void TestCrypto::base64UrlDecodeRejectsInvalidInput()
{
    QFETCH(QByteArray, input);

    QCOMPARE(Crypto::base64UrlDecode(input), std::nullopt);
}

void TestCrypto::sha256KnownVectors_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("hexDigest");

    QTest::addRow("empty")
            << QByteArray()
            << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_ba;
    QTest::addRow("abc") << "abc"_ba
                         << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_ba;
    QTest::addRow("two blocks")
            << "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"_ba
            << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"_ba;
}

void TestCrypto::sha256KnownVectors()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, hexDigest);

    QCOMPARE(Crypto::sha256(data).toHex(), hexDigest);
}

void TestCrypto::hmacSha256KnownVectors_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("hexMac");

    QTest::addRow("RFC 4231 case 1")
            << QByteArray(20, '\x0b') << "Hi There"_ba
            << "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"_ba;
    QTest::addRow("RFC 4231 case 2")
            << "Jefe"_ba << "what do ya want for nothing?"_ba
            << "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"_ba;
    QTest::addRow("RFC 4231 case 3")
            << QByteArray(20, '\xaa') << QByteArray(50, '\xdd')
            << "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"_ba;
    // A key longer than the block size is hashed first.
    QTest::addRow("RFC 4231 case 6")
            << QByteArray(131, '\xaa')
            << "Test Using Larger Than Block-Size Key - Hash Key First"_ba
            << "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"_ba;
    QTest::addRow("empty key and data")
            << QByteArray() << QByteArray()
            << "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"_ba;
}

void TestCrypto::hmacSha256KnownVectors()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, hexMac);

    QCOMPARE(Crypto::hmacSha256(key, data).toHex(), hexMac);
}

void TestCrypto::randomBytesHasRequestedSizeAndVaries()
{
    QCOMPARE(Crypto::randomBytes(0).size(), 0);
    QCOMPARE(Crypto::randomBytes(-5).size(), 0);
    QCOMPARE(Crypto::randomBytes(1).size(), 1);
    const QByteArray first = Crypto::randomBytes(32);
    const QByteArray second = Crypto::randomBytes(32);
    QCOMPARE(first.size(), 32);
    QVERIFY(first != second); // 2^-256 chance of a false failure
}

void TestCrypto::randomTokenIsUrlSafe()
{
    static const QRegularExpression urlSafe(u"^[A-Za-z0-9_-]{43}$"_s);
    const QString token = Crypto::randomToken(32);
    QVERIFY2(urlSafe.match(token).hasMatch(), qPrintable(token));
    QVERIFY(Crypto::randomToken(32) != token);
    QCOMPARE(Crypto::base64UrlDecode(token.toLatin1())->size(), 32);
    QCOMPARE(Crypto::randomToken(16).size(), 22);
}

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
