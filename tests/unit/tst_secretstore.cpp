// SPDX-License-Identifier: MIT
// SecretStore: one owner-only file per reference in an owner-only folder; references cannot
// escape the folder; a missing secret is "none", not an error.

#include "config/secretstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// The mode bits only: QFile's *User flags describe this process's access, not the file's mode.
QFileDevice::Permissions modeOf(const QString &path)
{
    return QFile::permissions(path)
            & ~(QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser);
}

class TestSecretStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void putGetRemove()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const SecretStore store(SecretStore::defaultFolder(dir.path()));
        const QString ref = u"inbox:0190b6e4-1c2a-7d3e-8f00-0123456789ab:authToken"_s;

        Result<std::optional<QByteArray>> none = store.get(ref);
        QVERIFY(none.ok());
        QVERIFY(!none.value().has_value());

        QVERIFY(store.put(ref, "0123456789abcdef0123456789abcdef").ok());
        Result<std::optional<QByteArray>> got = store.get(ref);
        QVERIFY(got.ok());
        QCOMPARE(got.value().value(), "0123456789abcdef0123456789abcdef"_ba);

        QVERIFY(store.put(ref, "fedcba9876543210fedcba9876543210").ok());
        QCOMPARE(store.get(ref).value().value(), "fedcba9876543210fedcba9876543210"_ba);

        QVERIFY(store.remove(ref).ok());
        QVERIFY(!store.get(ref).value().has_value());
        QVERIFY(store.remove(ref).ok()); // removing twice is fine
    }

    void filesAreOwnerOnly()
    {
        QTemporaryDir dir;
        const QString folder = SecretStore::defaultFolder(dir.path());
        const SecretStore store(folder);
        QVERIFY(store.put(u"inbox:a:authToken"_s, "secret").ok());

        QCOMPARE(modeOf(folder),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        const QStringList files = QDir(folder).entryList(QDir::Files | QDir::Hidden);
        QCOMPARE(files.size(), 1); // no temporary file left behind
        QCOMPARE(modeOf(QDir(folder).filePath(files.first())),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    void folderIsTightened()
    {
        QTemporaryDir dir;
        const QString folder = SecretStore::defaultFolder(dir.path());
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                      | QFileDevice::ExeOwner | QFileDevice::ReadOther
                                                      | QFileDevice::ExeOther));
        QVERIFY(SecretStore(folder).put(u"x"_s, "y").ok());
        QCOMPARE(modeOf(folder),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }

    void refusesFilesOthersCanRead()
    {
        QTemporaryDir dir;
        const QString folder = SecretStore::defaultFolder(dir.path());
        const SecretStore store(folder);
        QVERIFY(store.put(u"leaky"_s, "secret").ok());
        const QString file = QDir(folder).filePath(QDir(folder).entryList(QDir::Files).first());
        QVERIFY(QFile::setPermissions(file, QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                    | QFileDevice::ReadOther));
        const Result<std::optional<QByteArray>> got = store.get(u"leaky"_s);
        QVERIFY(!got.ok());
        QCOMPARE(got.error().status, 500);
        QVERIFY(!got.error().detail.contains(folder)); // no server path in what clients see
    }

    void refs_data()
    {
        QTest::addColumn<QString>("ref");
        QTest::addColumn<bool>("valid");
        QTest::addRow("inbox token") << u"inbox:0190b6e4-1c2a-7d3e-8f00-0123456789ab:authToken"_s << true;
        QTest::addRow("plain") << u"jwt_secret.v2"_s << true;
        QTest::addRow("empty") << QString() << false;
        QTest::addRow("parent") << u"../etc/passwd"_s << false;
        QTest::addRow("dot dot inside") << u"a..b"_s << false;
        QTest::addRow("slash") << u"inbox/a"_s << false;
        QTest::addRow("backslash") << u"inbox\\a"_s << false;
        QTest::addRow("absolute") << u"/tmp/x"_s << false;
        QTest::addRow("leading dot") << u".hidden"_s << false;
        QTest::addRow("leading colon (Qt resource)") << u":/x"_s << false;
        QTest::addRow("space") << u"a b"_s << false;
        QTest::addRow("percent") << u"a%3Ab"_s << false;
        QTest::addRow("nul") << u"a\0b"_s << false;
        QTest::addRow("non-ascii") << u"inbox:é"_s << false;
        QTest::addRow("200 chars") << QString(200, u'a') << true;
        QTest::addRow("201 chars") << QString(201, u'a') << false;
    }
    void refs()
    {
        QFETCH(QString, ref);
        QFETCH(bool, valid);
        QCOMPARE(SecretStore::isValidRef(ref), valid);
        QTemporaryDir dir;
        const SecretStore store(SecretStore::defaultFolder(dir.path()));
        QCOMPARE(store.put(ref, "s").ok(), valid);
        QCOMPARE(store.get(ref).ok(), valid);
        QCOMPARE(store.remove(ref).ok(), valid);
        if (!valid) {
            // nothing was written anywhere under the temporary dir
            QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size(), 0);
        }
    }

    void refsMapToDistinctFiles()
    {
        QTemporaryDir dir;
        const SecretStore store(SecretStore::defaultFolder(dir.path()));
        QVERIFY(store.put(u"a:b"_s, "colon").ok());
        QVERIFY(store.put(u"a_b"_s, "underscore").ok());
        QVERIFY(store.put(u"a-b"_s, "dash").ok());
        QCOMPARE(store.get(u"a:b"_s).value().value(), "colon"_ba);
        QCOMPARE(store.get(u"a_b"_s).value().value(), "underscore"_ba);
        QCOMPARE(store.get(u"a-b"_s).value().value(), "dash"_ba);
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
