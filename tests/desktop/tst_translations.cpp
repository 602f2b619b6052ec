// SPDX-License-Identifier: MIT
// The German translation is compiled in and loaded by locale: the tray's strings (C++ tr()) and
// the QML inbox's (qsTr()) come out in German; an English locale loads nothing.

#include "filesecrets.h"
#include "settingscontroller.h"
#include "translations.h"
#include "traymenu.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QMenu>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(InboxCentral_DesktopPlugin)

using namespace Qt::StringLiterals;

class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void englishNeedsNone();
    void germanIsLoaded();
};

void TestTranslations::englishNeedsNone()
{
    QVERIFY(!installTranslations(*QCoreApplication::instance(), QLocale(QLocale::English, QLocale::UnitedStates)));
    QCOMPARE(QCoreApplication::translate("TrayMenu", "Quit"), u"Quit"_s);
}

void TestTranslations::germanIsLoaded()
{
    QVERIFY(installTranslations(*QCoreApplication::instance(), QLocale(QLocale::German, QLocale::Germany)));
    QCOMPARE(QCoreApplication::translate("TrayMenu", "Quit"), u"Beenden"_s);
    QCOMPARE(QCoreApplication::translate("ServerController", "Server running"), u"Server läuft"_s);
    QCOMPARE(QCoreApplication::translate("SettingsWindow", "Database"), u"Datenbank"_s);
    QCOMPARE(QCoreApplication::translate("SignInPage", "Sign in"), u"Anmelden"_s);
    QCOMPARE(QCoreApplication::translate("Composer", "Send later"), u"Später senden"_s);

    TrayMenu tray;
    QStringList texts;
    const QList<QAction *> actions = tray.menu()->actions();
    for (const QAction *action : actions) {
        texts.append(action->text());
    }
    QVERIFY2(texts.contains(u"Posteingang öffnen"_s), qPrintable(texts.join(u", "_s)));
    QVERIFY(texts.contains(u"Server stoppen"_s));

    // The settings window's qsTr() strings, as the user sees them; a screenshot for review.
    QTemporaryDir dir;
    FileSecrets secrets(dir.filePath(u"secrets"_s));
    SettingsController controller(dir.filePath(u"desktop.conf"_s), &secrets, u"kein D-Bus"_s);
    QQmlEngine engine;
    engine.addImportPath(u"qrc:/qt/qml"_s);
    QQmlComponent component(&engine, QUrl(u"qrc:/qt/qml/InboxCentral/Desktop/qml/SettingsWindow.qml"_s));
    std::unique_ptr<QObject> object(
            component.createWithInitialProperties({{u"controller"_s, QVariant::fromValue(&controller)}}));
    QVERIFY2(object, qPrintable(component.errorString()));
    auto *window = qobject_cast<QQuickWindow *>(object.get());
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QCOMPARE(window->title(), u"Inbox-Central-Einstellungen"_s);
    auto *save = window->findChild<QQuickItem *>(u"saveButton"_s);
    QVERIFY(save);
    QCOMPARE(save->property("text").toString(), u"Speichern"_s);
    const QString outputDir = qEnvironmentVariable("INBOX_TEST_OUTPUT", QDir::tempPath());
    QVERIFY(QDir().mkpath(outputDir));
    const QString png = QDir(outputDir).filePath(u"desktop-settings-de.png"_s);
    QVERIFY(window->grabWindow().save(png));
    qInfo().noquote() << "screenshot:" << png;
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
