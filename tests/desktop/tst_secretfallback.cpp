// SPDX-License-Identifier: MIT
// The keychain fallback: with no D-Bus session (as here: the test runs with
// DBUS_SESSION_BUS_ADDRESS empty and no /run/user/<uid>/bus), the desktop keeps its secrets in
// owner-only files, and the settings window says so.

#include "desktopsecrets.h"
#include "filesecrets.h"
#include "secretbackendchooser.h"
#include "settingscontroller.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

#include <sys/stat.h>

Q_IMPORT_QML_PLUGIN(InboxCentral_DesktopPlugin)

using namespace Qt::StringLiterals;

namespace {

int modeOf(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        return -1;
    }
    return int(st.st_mode & 0777);
}

SecretBackendChoice chooseNow(const QString &folder, const QProcessEnvironment &env, QObject *parent)
{
    SecretBackendChoice chosen;
    bool done = false;
    SecretBackendChooser::choose(folder, env, parent, [&](SecretBackendChoice choice) {
        chosen = choice;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000)) {
        return {};
    }
    return chosen;
}

QProcessEnvironment withoutSessionBus()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
    env.remove(u"INBOX_SECRET_BACKEND"_s);
    return env;
}

} // namespace

class TestSecretFallback : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noSessionBusChoosesTheFile();
    void fileRoundTripIsOwnerOnly();
    void settingsSaveTheSecretToTheFileNotTheConfig();
    void settingsWindowSaysFile();
    // Last: it gives this process a session bus.
    void aSessionBusWithoutSecretServiceFallsBack();
};

void TestSecretFallback::noSessionBusChoosesTheFile()
{
    QVERIFY2(!SecretBackendChooser::hasSessionBus(withoutSessionBus()),
             "this machine has a user D-Bus socket; the test needs none");
    QTemporaryDir dir;
    QObject owner;
    const SecretBackendChoice choice = chooseNow(dir.filePath(u"secrets"_s), withoutSessionBus(), &owner);
    QVERIFY(choice.secrets);
    QCOMPARE(choice.secrets->backendName(), u"file"_s);
    QCOMPARE(choice.secrets->location(), dir.filePath(u"secrets"_s));
    QVERIFY2(choice.reason.contains(u"D-Bus"_s), qPrintable(choice.reason));
    QCOMPARE(choice.secrets->parent(), &owner);
}

void TestSecretFallback::fileRoundTripIsOwnerOnly()
{
    QTemporaryDir dir;
    QObject owner;
    const SecretBackendChoice choice = chooseNow(dir.filePath(u"secrets"_s), withoutSessionBus(), &owner);
    QVERIFY(choice.secrets);
    auto *files = qobject_cast<FileSecrets *>(choice.secrets);
    QVERIFY(files);

    std::optional<Status> written;
    files->write(u"googleClientSecret"_s, "s3cr3t-value", &owner, [&](Status s) { written = s; });
    QVERIFY(QTest::qWaitFor([&] { return written.has_value(); }));
    QVERIFY(written->ok());

    const QString file = files->fileFor(u"googleClientSecret"_s);
    QVERIFY(QFile::exists(file));
    QCOMPARE(modeOf(file), 0600);
    QCOMPARE(modeOf(files->location()), 0700);

    std::optional<Result<std::optional<QByteArray>>> read;
    files->read(u"googleClientSecret"_s, &owner, [&](Result<std::optional<QByteArray>> r) { read = r; });
    QVERIFY(QTest::qWaitFor([&] { return read.has_value(); }));
    QVERIFY(read->ok());
    QCOMPARE(read->value(), std::optional<QByteArray>("s3cr3t-value"));

    std::optional<Status> removed;
    files->remove(u"googleClientSecret"_s, &owner, [&](Status s) { removed = s; });
    QVERIFY(QTest::qWaitFor([&] { return removed.has_value(); }));
    QVERIFY(removed->ok());
    QVERIFY(!QFile::exists(file));

    read.reset();
    files->read(u"googleClientSecret"_s, &owner, [&](Result<std::optional<QByteArray>> r) { read = r; });
    QVERIFY(QTest::qWaitFor([&] { return read.has_value(); }));
    QVERIFY(read->ok());
    QVERIFY(!read->value().has_value());
}

void TestSecretFallback::settingsSaveTheSecretToTheFileNotTheConfig()
{
    QTemporaryDir dir;
    QObject owner;
    const SecretBackendChoice choice = chooseNow(dir.filePath(u"secrets"_s), withoutSessionBus(), &owner);
    QVERIFY(choice.secrets);
    const QString configFile = dir.filePath(u"desktop.conf"_s);
    SettingsController controller(configFile, choice.secrets, choice.reason);
    QCOMPARE(controller.secretBackend(), u"file"_s);
    QVERIFY(!controller.googleClientSecretStored());

    controller.setGoogleClientId(u"id.apps.googleusercontent.com"_s);
    controller.setGoogleClientSecret(u"gcs-123"_s);
    QSignalSpy saved(&controller, &SettingsController::saved);
    controller.save();
    QVERIFY(saved.wait());
    QVERIFY(QTest::qWaitFor([&] { return controller.googleClientSecretStored(); }));
    QVERIFY(controller.googleClientSecret().isEmpty());

    QFile config(configFile);
    QVERIFY(config.open(QIODevice::ReadOnly));
    const QByteArray text = config.readAll();
    QVERIFY(text.contains("id.apps.googleusercontent.com"));
    QVERIFY(!text.contains("gcs-123"));
    QFile secret(qobject_cast<FileSecrets *>(choice.secrets)->fileFor(u"googleClientSecret"_s));
    QVERIFY(secret.open(QIODevice::ReadOnly));
    QCOMPARE(secret.readAll(), "gcs-123"_ba);
    QCOMPARE(modeOf(secret.fileName()), 0600);

    // What the embedded server will be given.
    QByteArray forServer;
    bool done = false;
    controller.readGoogleClientSecret(&owner, [&](const QByteArray &s) {
        forServer = s;
        done = true;
    });
    QVERIFY(QTest::qWaitFor([&] { return done; }));
    QCOMPARE(forServer, "gcs-123"_ba);
}

void TestSecretFallback::settingsWindowSaysFile()
{
    QTemporaryDir dir;
    QObject owner;
    const SecretBackendChoice choice = chooseNow(dir.filePath(u"secrets"_s), withoutSessionBus(), &owner);
    QVERIFY(choice.secrets);
    SettingsController controller(dir.filePath(u"desktop.conf"_s), choice.secrets, choice.reason);

    QQmlEngine engine;
    engine.addImportPath(u"qrc:/qt/qml"_s);
    QQmlComponent component(&engine, QUrl(u"qrc:/qt/qml/InboxCentral/Desktop/qml/SettingsWindow.qml"_s));
    std::unique_ptr<QObject> object(
            component.createWithInitialProperties({{u"controller"_s, QVariant::fromValue(&controller)}}));
    QVERIFY2(object, qPrintable(component.errorString()));
    auto *window = qobject_cast<QQuickWindow *>(object.get());
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    auto *label = window->findChild<QQuickItem *>(u"secretBackendLabel"_s);
    QVERIFY(label);
    const QString shown = label->property("text").toString();
    QVERIFY2(shown.contains(u"files only you can read"_s), qPrintable(shown));
    QVERIFY2(shown.contains(dir.filePath(u"secrets"_s)), qPrintable(shown));

    // For review: the window as the user sees it.
    const QString outputDir = qEnvironmentVariable("INBOX_TEST_OUTPUT", QDir::tempPath());
    QVERIFY(QDir().mkpath(outputDir));
    const QString png = QDir(outputDir).filePath(u"desktop-settings.png"_s);
    QVERIFY(window->grabWindow().save(png));
    qInfo().noquote() << "screenshot:" << png;
}

void TestSecretFallback::aSessionBusWithoutSecretServiceFallsBack()
{
    // A private session bus on which no Secret Service (nor KWallet) runs: QtKeychain is asked,
    // fails, and the files are chosen with its reason.
    QProcess bus;
    bus.start(u"dbus-daemon"_s, {u"--session"_s, u"--nofork"_s, u"--print-address=1"_s});
    QVERIFY2(bus.waitForStarted(), "dbus-daemon (package dbus) is needed");
    QVERIFY(QTest::qWaitFor([&] { return bus.canReadLine(); }, 10000));
    const QByteArray address = bus.readLine().trimmed();
    QVERIFY(address.startsWith("unix:"));
    qputenv("DBUS_SESSION_BUS_ADDRESS", address);
    QProcessEnvironment env = withoutSessionBus();
    env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, QString::fromLatin1(address));
    QVERIFY(SecretBackendChooser::hasSessionBus(env));

    QTemporaryDir dir;
    QObject owner;
    const SecretBackendChoice choice = chooseNow(dir.filePath(u"secrets"_s), env, &owner);
    QVERIFY(choice.secrets);
    QCOMPARE(choice.secrets->backendName(), u"file"_s);
    QVERIFY2(choice.reason.startsWith(u"the keychain"_s), qPrintable(choice.reason));

    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    bus.terminate();
    QVERIFY(bus.waitForFinished(10000));
}

QTEST_MAIN(TestSecretFallback)
#include "tst_secretfallback.moc"
