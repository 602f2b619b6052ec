// SPDX-License-Identifier: MIT
#pragma once
// The desktop app as a whole: reads the settings, picks the secret store, starts the embedded
// server (or points at the remote one), keeps the tray menu in step with the server, and opens
// the inbox and settings windows. main() only creates it; tests drive it the same way.

#include "desktopsettings.h"

#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QQuickWindow>
#include <QString>

#include <memory>

class DesktopSecrets;
class QNetworkAccessManager;
class QQmlEngine;
class QTimer;
class ServerController;
class SettingsController;
class TrayMenu;

struct DesktopOptions
{
    QString settingsFile = DesktopSettings::defaultFile();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    bool useTray = true;        // false: never show a tray icon (tests)
    bool openInboxWhenReady = false; // also done when no system tray is available
    bool openSettingsAtStart = false; // the way to the settings where no tray menu is
};

class DesktopApp : public QObject
{
    Q_OBJECT
public:
    explicit DesktopApp(DesktopOptions options, QObject *parent = nullptr);
    ~DesktopApp() override;

    // Picks the secret store, then starts the embedded server (embedded mode) or checks the
    // remote one. ready() follows once the server URL is known (or failed() for embedded).
    void start();

    [[nodiscard]] ServerController *server() const { return m_server; }
    [[nodiscard]] SettingsController *settings() const { return m_settings; }
    [[nodiscard]] TrayMenu *tray() const { return m_tray.get(); }
    [[nodiscard]] QQmlEngine *engine() const { return m_engine.get(); }
    [[nodiscard]] QString serverUrl() const;
    [[nodiscard]] QQuickWindow *inboxWindow() const { return m_inboxWindow; }
    [[nodiscard]] QQuickWindow *settingsWindow() const { return m_settingsWindow; }
    [[nodiscard]] bool hasInboxUi() const;

public Q_SLOTS:
    void openInbox();
    void openSettings();
    void startServer();
    void stopServer();
    // Stops the server cleanly, then quits the application.
    void quit();

Q_SIGNALS:
    void ready(const QString &serverUrl);
    void failed(const QString &error);
    void inboxWindowOpened(QQuickWindow *window);

private:
    void onSecretsChosen(DesktopSecrets *secrets, const QString &reason);
    void updateTray();
    void checkRemote();

    DesktopOptions m_options;
    ServerController *m_server;
    SettingsController *m_settings = nullptr;
    std::unique_ptr<TrayMenu> m_tray;
    std::unique_ptr<QQmlEngine> m_engine;
    QPointer<QQuickWindow> m_inboxWindow;
    QPointer<QQuickWindow> m_settingsWindow;
    QNetworkAccessManager *m_network;
    QTimer *m_remoteCheck;
    QString m_remoteState; // "", "ok" or the error
    bool m_quitting = false;
};
