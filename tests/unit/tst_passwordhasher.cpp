// SPDX-License-Identifier: MIT
// PasswordHasher: $2b$ hashes through libxcrypt, hashes written by the Node backend (bcryptjs)
// still verify, malformed hashes are a plain "no", and over-long passwords are refused.

#include "auth/passwordhasher.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// Made by the Node backend's library: bcryptjs 2.4.3 writes $2a$, bcryptjs 3.0.3 writes $2b$:
//   node -e "console.log(require('bcryptjs').hashSync('secret-password', 10))"
constexpr QByteArrayView kBcryptjs2a =
        "$2a$10$uu3wjKNQOKI3D6ZnTbgeRe1QkVH8e0MAmWHfmcUlZMB0CiFsONkI2";
constexpr QByteArrayView kBcryptjs2b =
        "$2b$10$RSgJPx3QEzoL6cJHxlAYPO/NS70woWlrOc67az/Ka1Wi4hzTmsWxm";
// PHP's $2y$ is the same algorithm as $2b$; only the prefix differs.
constexpr QByteArrayView kSame2y = "$2y$10$RSgJPx3QEzoL6cJHxlAYPO/NS70woWlrOc67az/Ka1Wi4hzTmsWxm";
constexpr QByteArrayView kPassword = "secret-password";

constexpr int kFastCost = 4;

} // namespace

class TestPasswordHasher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hashAtCost12IsA2bHashThatVerifies();
    void hashesOfTheSamePasswordDiffer();
    void verify_data();
    void verify();
    void verifyRejectsMalformedHashes_data();
    void verifyRejectsMalformedHashes();
    void hashRefusesPasswordsLongerThan72Bytes();
    void hashAccepts72BytePasswords();
    void hashRefusesNulBytes();
    void hashRefusesInvalidCost();
    void costOf_data();
    void costOf();
    void hashAndVerifyFromSeveralThreads();
};

void TestPasswordHasher::hashAtCost12IsA2bHashThatVerifies()
{
    const Result<QByteArray> hashed = PasswordHasher::hash(kPassword, 12);
    QVERIFY(hashed.ok());
    QVERIFY2(hashed->startsWith("$2b$12$"), hashed->constData());
    QCOMPARE(hashed->size(), 60);
    QVERIFY(PasswordHasher::verify(kPassword, hashed.value()));
    QVERIFY(!PasswordHasher::verify("secret-passwort", hashed.value()));
}

void TestPasswordHasher::hashesOfTheSamePasswordDiffer()
{
    const Result<QByteArray> first = PasswordHasher::hash(kPassword, kFastCost);
    const Result<QByteArray> second = PasswordHasher::hash(kPassword, kFastCost);
    QVERIFY(first.ok() && second.ok());
    QVERIFY(first.value() != second.value()); // random salt
    QVERIFY(first->startsWith("$2b$04$"));
}

void TestPasswordHasher::verify_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("hash");
    QTest::addColumn<bool>("matches");

    const QByteArray fresh = PasswordHasher::hash(kPassword, kFastCost).value();
    const QByteArray empty = PasswordHasher::hash("", kFastCost).value();
    const QByteArray password = kPassword.toByteArray();

    QTest::addRow("own $2b$, right password") << password << fresh << true;
    QTest::addRow("own $2b$, wrong password") << "secret-passwore"_ba << fresh << false;
    QTest::addRow("own $2b$, empty password") << QByteArray() << fresh << false;
    QTest::addRow("own $2b$, password with suffix") << QByteArray(password + "x") << fresh << false;
    QTest::addRow("empty password hashed, right") << QByteArray() << empty << true;
    QTest::addRow("empty password hashed, wrong") << "x"_ba << empty << false;
    QTest::addRow("bcryptjs $2a$, right password") << password << kBcryptjs2a.toByteArray() << true;
    QTest::addRow("bcryptjs $2a$, wrong password")
            << "Secret-password"_ba << kBcryptjs2a.toByteArray() << false;
    QTest::addRow("bcryptjs $2b$, right password") << password << kBcryptjs2b.toByteArray() << true;
    QTest::addRow("bcryptjs $2b$, wrong password")
            << "secret-password "_ba << kBcryptjs2b.toByteArray() << false;
    QTest::addRow("$2y$, right password") << password << kSame2y.toByteArray() << true;
    QTest::addRow("password with NUL never matches")
            << QByteArray("secret-password\0x", 17) << kBcryptjs2b.toByteArray() << false;
}

void TestPasswordHasher::verify()
{
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, hash);
    QFETCH(bool, matches);

    QCOMPARE(PasswordHasher::verify(password, hash), matches);
}

void TestPasswordHasher::verifyRejectsMalformedHashes_data()
{
    QTest::addColumn<QByteArray>("hash");

    const QByteArray good = kBcryptjs2b.toByteArray();
    QTest::addRow("empty") << QByteArray();
    QTest::addRow("crypt failure token *0") << "*0"_ba;
    QTest::addRow("crypt failure token *1") << "*1"_ba;
    QTest::addRow("truncated") << good.chopped(1);
    QTest::addRow("trailing newline") << QByteArray(good + "\n");
    QTest::addRow("setting only") << good.first(29);
    QTest::addRow("buggy $2x$ variant") << QByteArray("$2x$"_ba + good.sliced(4));
    QTest::addRow("unknown $2c$ variant") << QByteArray("$2c$"_ba + good.sliced(4));
    QTest::addRow("cost 03") << QByteArray("$2b$03$"_ba + good.sliced(7));
    QTest::addRow("cost 32") << QByteArray("$2b$32$"_ba + good.sliced(7));
    QTest::addRow("cost not digits") << QByteArray("$2b$1a$"_ba + good.sliced(7));
    QTest::addRow("invalid character") << QByteArray(good.first(40) + "!" + good.sliced(41));
    QTest::addRow("embedded NUL")
            << QByteArray(good.first(40) + QByteArray(1, '\0') + good.sliced(41));
    // Real crypt(3) hashes of the right password in schemes libxcrypt knows but we must not accept.
    QTest::addRow("md5-crypt") << "$1$abc$15VY6tfOjvdfVDjqqCIxc."_ba;
    QTest::addRow("sha512-crypt") << "$6$saltsalt$0kMAqD7N/wodoPTG39MwcSBsEQ.zyqwKS7cdimh6F1oWer"
                                     "h11R4PeLMuJOkEnkx3sPt6md/r5gAAkszlgydWZ1"_ba;
    QTest::addRow("traditional DES") << "abm5aITj7/6yY"_ba;
    QTest::addRow("plain text") << "secret-password"_ba;
}

void TestPasswordHasher::verifyRejectsMalformedHashes()
{
    QFETCH(QByteArray, hash);

    QVERIFY(!PasswordHasher::verify(kPassword, hash));
    QVERIFY(!PasswordHasher::verify({}, hash));
}

void TestPasswordHasher::hashRefusesPasswordsLongerThan72Bytes()
{
    const Result<QByteArray> hashed = PasswordHasher::hash(QByteArray(73, 'a'), kFastCost);
    QVERIFY(!hashed.ok());
    QCOMPARE(hashed.error().status, 422);
    QCOMPARE(hashed.error().fieldErrors.size(), 1);
    QCOMPARE(hashed.error().fieldErrors.first().field, u"password"_s);
    QCOMPARE(hashed.error().fieldErrors.first().message, u"must be at most 72 bytes"_s);

    // Bytes, not characters: 37 two-byte characters are 74 bytes.
    const QByteArray utf8 = QString(37, QChar(0xe9)).toUtf8();
    QCOMPARE(utf8.size(), 74);
    QCOMPARE(PasswordHasher::hash(utf8, kFastCost).error().status, 422);
}

void TestPasswordHasher::hashAccepts72BytePasswords()
{
    const QByteArray password(72, 'a');
    const Result<QByteArray> hashed = PasswordHasher::hash(password, kFastCost);
    QVERIFY(hashed.ok());
    QVERIFY(PasswordHasher::verify(password, hashed.value()));
    QVERIFY(!PasswordHasher::verify(QByteArray(71, 'a'), hashed.value()));
    // verify() only computes: bcrypt itself ignores bytes past 72, which hash() keeps users from
    // relying on.
    QVERIFY(PasswordHasher::verify(QByteArray(password + "ignored"), hashed.value()));
}

void TestPasswordHasher::hashRefusesNulBytes()
{
    const Result<QByteArray> hashed = PasswordHasher::hash(QByteArray("abc\0def", 7), kFastCost);
    QVERIFY(!hashed.ok());
    QCOMPARE(hashed.error().status, 422);
    QCOMPARE(hashed.error().fieldErrors.first().field, u"password"_s);
}

void TestPasswordHasher::hashRefusesInvalidCost()
{
    QTest::ignoreMessage(QtCriticalMsg, "bcrypt cost 3 is outside 4 to 31");
    QCOMPARE(PasswordHasher::hash(kPassword, 3).error().status, 500);
    QTest::ignoreMessage(QtCriticalMsg, "bcrypt cost 32 is outside 4 to 31");
    QCOMPARE(PasswordHasher::hash(kPassword, 32).error().status, 500);
}

void TestPasswordHasher::costOf_data()
{
    QTest::addColumn<QByteArray>("hash");
    QTest::addColumn<int>("cost");

    QTest::addRow("own cost 4") << PasswordHasher::hash(kPassword, kFastCost).value() << 4;
    QTest::addRow("bcryptjs $2a$ cost 10") << kBcryptjs2a.toByteArray() << 10;
    QTest::addRow("bcryptjs $2b$ cost 10") << kBcryptjs2b.toByteArray() << 10;
    QTest::addRow("$2y$ cost 10") << kSame2y.toByteArray() << 10;
    QTest::addRow("cost 31")
            << QByteArray("$2b$31$"_ba + kBcryptjs2b.sliced(7).toByteArray()) << 31;
    QTest::addRow("empty") << QByteArray() << -1;
    QTest::addRow("failure token") << "*0"_ba << -1;
    QTest::addRow("prefix only") << "$2b$12$"_ba << -1;
    QTest::addRow("cost 03")
            << QByteArray("$2b$03$"_ba + kBcryptjs2b.sliced(7).toByteArray()) << -1;
    QTest::addRow("$2x$") << QByteArray("$2x$10$"_ba + kBcryptjs2b.sliced(7).toByteArray()) << -1;
}

void TestPasswordHasher::costOf()
{
    QFETCH(QByteArray, hash);
    QFETCH(int, cost);

    QCOMPARE(PasswordHasher::costOf(hash), cost);
}

void TestPasswordHasher::hashAndVerifyFromSeveralThreads()
{
    constexpr int threadCount = 4;
    constexpr int rounds = 8;
    std::atomic<int> failures = 0;
    std::vector<std::thread> threads;
    threads.reserve(threadCount);
    for (int t = 0; t < threadCount; ++t) {
        threads.emplace_back([t, &failures] {
            for (int i = 0; i < rounds; ++i) {
                const QByteArray password = "password-" + QByteArray::number(t * rounds + i);
                const Result<QByteArray> hashed = PasswordHasher::hash(password, kFastCost);
                if (!hashed.ok() || !PasswordHasher::verify(password, hashed.value())
                    || PasswordHasher::verify(QByteArray(password + "!"), hashed.value())
                    || !PasswordHasher::verify(kPassword, kBcryptjs2a)) {
                    ++failures;
                }
            }
        });
    }
    for (std::thread &thread : threads) {
        thread.join();
    }
    QCOMPARE(failures.load(), 0);
}

QTEST_GUILESS_MAIN(TestPasswordHasher)
#include "tst_passwordhasher.moc"
