// SPDX-License-Identifier: MIT
// `inbox-central-desktop`: the tray app. Everything is in the inboxdesktop library (DesktopApp).

#include "desktopapp.h"
#include "translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(InboxCentral_DesktopPlugin)

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    // As the headless server (app/main.cpp): the server part speaks UTC only.
    if (qEnvironmentVariableIsEmpty("TZ")) {
        qputenv("TZ", "UTC");
    }
    QApplication app(argc, argv);
    // The same name as the headless server, so both find the same data folder by default.
    QApplication::setApplicationName(u"inbox-central"_s);
    QApplication::setApplicationDisplayName(u"Inbox Central"_s);
    QApplication::setApplicationVersion(QStringLiteral(INBOX_VERSION));
    QApplication::setDesktopFileName(u"inbox-central-desktop"_s);
    QApplication::setWindowIcon(QIcon(u":/icons/inbox-central.svg"_s));
    // The app lives in the tray: closing a window does not end it (Quit in the menu does).
    QApplication::setQuitOnLastWindowClosed(false);
    installTranslations(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
            "main", "Inbox Central on the desktop: tray, embedded server, inbox and settings."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption settingsOption(
            u"settings"_s, QApplication::translate("main", "The settings file to use."),
            QApplication::translate("main", "file"));
    const QCommandLineOption noTray(u"no-tray"_s,
                                    QApplication::translate("main", "Do not show a tray icon; open the inbox window."));
    const QCommandLineOption openInbox(u"open-inbox"_s,
                                       QApplication::translate("main", "Open the inbox window at start."));
    const QCommandLineOption openSettings(u"open-settings"_s,
                                          QApplication::translate("main", "Open the settings window at start."));
    parser.addOptions({settingsOption, noTray, openInbox, openSettings});
    parser.process(app);

    DesktopOptions options;
    if (parser.isSet(settingsOption)) {
        options.settingsFile = parser.value(settingsOption);
    }
    options.useTray = !parser.isSet(noTray);
    options.openInboxWhenReady = parser.isSet(openInbox);
    options.openSettingsAtStart = parser.isSet(openSettings);
    DesktopApp desktop(options);
    desktop.start();
    return QApplication::exec();
}
