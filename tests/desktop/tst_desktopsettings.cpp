// SPDX-License-Identifier: MIT
// The desktop's settings: what the settings window saves comes back on the next start, and turns
// into the embedded server's configuration through the server's own loader.

#include "desktopsettings.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestDesktopSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultsWhenNothingSaved();
    void saveThenLoadRoundTrips();
    void serverConfigTakesTheSettings();
    void serverConfigReportsABadDatabaseUrl();
    void serverUrl_data();
    void serverUrl();
};

void TestDesktopSettings::defaultsWhenNothingSaved()
{
    QTemporaryDir dir;
    QSettings file(dir.filePath(u"desktop.conf"_s), QSettings::IniFormat);
    const DesktopSettings loaded = DesktopSettings::load(file);
    QCOMPARE(loaded.mode, DesktopSettings::Mode::Embedded);
    QCOMPARE(loaded.host, u"127.0.0.1"_s);
    QCOMPARE(loaded.port, quint16(5000));
    QVERIFY(loaded.databaseUrl.isEmpty());
}

void TestDesktopSettings::saveThenLoadRoundTrips()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"desktop.conf"_s);
    DesktopSettings saved;
    saved.mode = DesktopSettings::Mode::Remote;
    saved.remoteUrl = u"https://inbox.example.com"_s;
    saved.host = u"0.0.0.0"_s;
    saved.port = 8123;
    saved.databaseUrl = u"postgresql://inbox@db.example.com/inbox"_s;
    saved.dataDir = dir.filePath(u"data"_s);
    saved.publicUrl = u"https://public.example.com"_s;
    saved.corsOrigins = u"https://a.example.com,https://b.example.com"_s;
    saved.twilioApiBase = u"http://127.0.0.1:9/"_s;
    saved.googleClientId = u"client.apps.googleusercontent.com"_s;
    saved.googleCallbackUrl = u"https://public.example.com/cb"_s;
    {
        QSettings file(path, QSettings::IniFormat);
        saved.save(file);
    }
    QSettings again(path, QSettings::IniFormat);
    QCOMPARE(DesktopSettings::load(again), saved);
    // Secrets never go to this file.
    QFile raw(path);
    QVERIFY(raw.open(QIODevice::ReadOnly));
    QVERIFY(!raw.readAll().contains("ecret"));
}

void TestDesktopSettings::serverConfigTakesTheSettings()
{
    QTemporaryDir dir;
    DesktopSettings settings;
    settings.host = u"127.0.0.1"_s;
    settings.port = 5123;
    settings.dataDir = dir.path();
    settings.databaseUrl = u"sqlite://"_s + dir.filePath(u"inbox.db"_s);
    settings.publicUrl = u"https://public.example.com"_s;
    settings.corsOrigins = u"https://a.example.com, https://b.example.com"_s;
    settings.googleClientId = u"id.apps.googleusercontent.com"_s;
    Result<Config> config = settings.serverConfig(QProcessEnvironment(), "google-secret");
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().detail));
    QCOMPARE(config->host, u"127.0.0.1"_s);
    QCOMPARE(config->port, quint16(5123));
    QCOMPARE(config->dataDir, dir.path());
    QCOMPARE(config->databaseUrl, u"sqlite://"_s + dir.filePath(u"inbox.db"_s));
    QCOMPARE(config->publicUrl, u"https://public.example.com"_s);
    QCOMPARE(config->corsOrigins, (QStringList{u"https://a.example.com"_s, u"https://b.example.com"_s}));
    QCOMPARE(config->googleClientId, u"id.apps.googleusercontent.com"_s);
    QCOMPARE(config->googleClientSecret, "google-secret"_ba);
    // The server's own rule: a JWT secret is generated once into the data folder.
    QVERIFY(QFileInfo::exists(dir.filePath(u"jwt-secret"_s)));
}

void TestDesktopSettings::serverConfigReportsABadDatabaseUrl()
{
    QTemporaryDir dir;
    DesktopSettings settings;
    settings.dataDir = dir.path();
    settings.databaseUrl = u"mysql://nope"_s;
    Result<Config> config = settings.serverConfig(QProcessEnvironment());
    QVERIFY(!config.ok());
    QVERIFY2(config.error().detail.contains(u"DATABASE_URL"_s), qPrintable(config.error().detail));
}

void TestDesktopSettings::serverUrl_data()
{
    QTest::addColumn<bool>("remote");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("remoteUrl");
    QTest::addColumn<int>("listening");
    QTest::addColumn<QString>("expected");
    QTest::addRow("embedded on loopback") << false << u"127.0.0.1"_s << QString() << 0 << u"http://127.0.0.1:5000"_s;
    QTest::addRow("embedded on every address") << false << u"0.0.0.0"_s << QString() << 0 << u"http://127.0.0.1:5000"_s;
    QTest::addRow("embedded, actual port") << false << u"0.0.0.0"_s << QString() << 4321 << u"http://127.0.0.1:4321"_s;
    QTest::addRow("embedded on IPv6") << false << u"::1"_s << QString() << 0 << u"http://[::1]:5000"_s;
    QTest::addRow("remote, trailing slash") << true << QString() << u"https://inbox.example.com/"_s << 0
                                            << u"https://inbox.example.com"_s;
}

void TestDesktopSettings::serverUrl()
{
    QFETCH(bool, remote);
    QFETCH(QString, host);
    QFETCH(QString, remoteUrl);
    QFETCH(int, listening);
    QFETCH(QString, expected);
    DesktopSettings settings;
    settings.mode = remote ? DesktopSettings::Mode::Remote : DesktopSettings::Mode::Embedded;
    settings.host = host;
    settings.remoteUrl = remoteUrl;
    QCOMPARE(settings.serverUrl(quint16(listening)), expected);
}

QTEST_GUILESS_MAIN(TestDesktopSettings)
#include "tst_desktopsettings.moc"
