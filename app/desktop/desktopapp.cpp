// SPDX-License-Identifier: MIT
#include "desktopapp.h"

#include "desktopsecrets.h"
#include "filesecrets.h"
#include "secretbackendchooser.h"
#include "servercontroller.h"
#include "settingscontroller.h"
#include "traymenu.h"

#include "core/logging.h"

#ifdef INBOX_HAVE_UI
#include "inboxui.h"
#endif

#include <QApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickWindow>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QTimer>

using namespace Qt::StringLiterals;

DesktopApp::DesktopApp(DesktopOptions options, QObject *parent)
    : QObject(parent),
      m_options(std::move(options)),
      m_server(new ServerController(this)),
      m_engine(std::make_unique<QQmlEngine>()),
      m_network(new QNetworkAccessManager(this)),
      m_remoteCheck(new QTimer(this))
{
    // The modules are compiled into this executable, under Qt's standard resource prefix.
    m_engine->addImportPath(u"qrc:/qt/qml"_s);
    m_remoteCheck->setInterval(10000);
    connect(m_remoteCheck, &QTimer::timeout, this, &DesktopApp::checkRemote);
    connect(m_server, &ServerController::stateChanged, this, &DesktopApp::updateTray);
    connect(m_server, &ServerController::clientCountChanged, this, &DesktopApp::updateTray);
    connect(m_server, &ServerController::lastErrorChanged, this, &DesktopApp::updateTray);
    connect(m_server, &ServerController::started, this, [this] {
        if (m_settings) {
            m_settings->setServerUrl(m_server->address());
        }
        if (!m_server->hasUsers()) {
            qCInfo(lcApp) << "no account yet: sign up in the inbox window; the first account is the admin";
        }
        Q_EMIT ready(m_server->address());
    });
    connect(m_server, &ServerController::failed, this, &DesktopApp::failed);
    connect(m_server, &ServerController::stopped, this, [this] {
        if (m_quitting) {
            QCoreApplication::quit();
        }
    });
}

DesktopApp::~DesktopApp()
{
    m_quitting = true; // closing the windows here must not start another quit
    delete m_inboxWindow;
    delete m_settingsWindow;
}

bool DesktopApp::hasInboxUi() const
{
#ifdef INBOX_HAVE_UI
    return true;
#else
    return false;
#endif
}

void DesktopApp::start()
{
    const bool trayAvailable = m_options.useTray && QSystemTrayIcon::isSystemTrayAvailable();
    if (trayAvailable) {
        m_tray = std::make_unique<TrayMenu>();
        connect(m_tray.get(), &TrayMenu::openInboxRequested, this, &DesktopApp::openInbox);
        connect(m_tray.get(), &TrayMenu::settingsRequested, this, &DesktopApp::openSettings);
        connect(m_tray.get(), &TrayMenu::startRequested, this, &DesktopApp::startServer);
        connect(m_tray.get(), &TrayMenu::stopRequested, this, &DesktopApp::stopServer);
        connect(m_tray.get(), &TrayMenu::quitRequested, this, &DesktopApp::quit);
        m_tray->show();
    } else {
        if (m_options.useTray) {
            qCInfo(lcApp) << "no system tray available: opening the inbox window instead";
        }
        // Without a tray the inbox window is the app: closing it ends the app.
        m_options.openInboxWhenReady = true;
    }
    if (m_options.openInboxWhenReady) {
        connect(this, &DesktopApp::ready, this, &DesktopApp::openInbox, Qt::SingleShotConnection);
    }

    QSettings settingsFile(m_options.settingsFile, QSettings::IniFormat);
    const DesktopSettings saved = DesktopSettings::load(settingsFile);
    QString dataDir = saved.dataDir;
    if (dataDir.isEmpty()) {
        dataDir = m_options.environment.value(u"DATA_DIR"_s);
    }
    SecretBackendChooser::choose(FileSecrets::defaultFolder(dataDir), m_options.environment, this,
                                 [this](SecretBackendChoice choice) {
                                     onSecretsChosen(choice.secrets, choice.reason);
                                 });
    updateTray();
}

void DesktopApp::onSecretsChosen(DesktopSecrets *secrets, const QString &reason)
{
    m_settings = new SettingsController(m_options.settingsFile, secrets, reason, this);
    connect(m_settings, &SettingsController::saved, this, &DesktopApp::updateTray);
    if (m_options.openSettingsAtStart) {
        openSettings();
    }
    if (m_settings->remoteMode()) {
        m_settings->setServerUrl(m_settings->settings().serverUrl());
        m_remoteCheck->start();
        checkRemote();
        Q_EMIT ready(serverUrl());
        return;
    }
    startServer();
}

QString DesktopApp::serverUrl() const
{
    if (m_settings && m_settings->remoteMode()) {
        return m_settings->settings().serverUrl();
    }
    return m_server->address();
}

void DesktopApp::startServer()
{
    if (!m_settings || m_settings->remoteMode() || m_server->state() != ServerController::State::Stopped) {
        return;
    }
    m_settings->readGoogleClientSecret(this, [this](const QByteArray &googleSecret) {
        Result<Config> config = m_settings->settings().serverConfig(m_options.environment, googleSecret);
        if (!config) {
            qCWarning(lcApp) << "embedded server not started:" << config.error().detail;
            Q_EMIT failed(config.error().detail);
            return;
        }
        m_server->start(config.value());
    });
}

void DesktopApp::stopServer()
{
    m_server->stop();
}

void DesktopApp::quit()
{
    m_quitting = true;
    if (m_server->state() == ServerController::State::Stopped) {
        QCoreApplication::quit();
        return;
    }
    m_server->stop();
}

void DesktopApp::openInbox()
{
    if (m_inboxWindow) {
        m_inboxWindow->show();
        m_inboxWindow->raise();
        m_inboxWindow->requestActivate();
        return;
    }
    const QString url = serverUrl();
    if (url.isEmpty()) {
        qCWarning(lcApp) << "no server to open the inbox on";
        return;
    }
#ifdef INBOX_HAVE_UI
    m_inboxWindow = InboxUi::openInboxWindow(*m_engine, QUrl(url));
    if (!m_inboxWindow) {
        qCWarning(lcApp) << "the inbox window could not be created";
        return;
    }
    if (!m_tray) {
        // No tray to come back from: closing the window quits (stopping the server cleanly).
        connect(m_inboxWindow, &QWindow::visibleChanged, this, [this](bool visible) {
            if (!visible && !m_quitting) {
                quit();
            }
        });
    }
    Q_EMIT inboxWindowOpened(m_inboxWindow);
#else
    qCWarning(lcApp) << "this build has no inbox UI; open" << url << "in a browser";
#endif
}

void DesktopApp::openSettings()
{
    if (!m_settings) {
        return;
    }
    if (m_settingsWindow) {
        m_settingsWindow->show();
        m_settingsWindow->raise();
        return;
    }
    QQmlComponent component(m_engine.get(), QUrl(u"qrc:/qt/qml/InboxCentral/Desktop/qml/SettingsWindow.qml"_s));
    QObject *object = component.createWithInitialProperties({{u"controller"_s, QVariant::fromValue(m_settings)}});
    m_settingsWindow = qobject_cast<QQuickWindow *>(object);
    if (!m_settingsWindow) {
        qCWarning(lcApp) << "settings window:" << component.errorString();
        delete object;
        return;
    }
    m_settingsWindow->show();
}

void DesktopApp::checkRemote()
{
    const QString url = serverUrl();
    QNetworkRequest request(QUrl(url + u"/healthz"_s));
    request.setTransferTimeout(5000);
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        m_remoteState = status == 200 ? u"ok"_s : (status == 0 ? reply->errorString() : u"HTTP %1"_s.arg(status));
        updateTray();
    });
}

void DesktopApp::updateTray()
{
    if (!m_tray) {
        return;
    }
    TrayState state;
    if (m_settings && m_settings->remoteMode()) {
        state.stateLine = m_remoteState == u"ok"_s ? tr("Remote server reachable")
                : m_remoteState.isEmpty()          ? tr("Remote server: checking…")
                                                   : tr("Remote server unreachable");
        state.address = serverUrl();
        state.lastError = m_remoteState == u"ok"_s ? QString() : m_remoteState;
        state.canOpenInbox = true;
    } else {
        state.stateLine = m_server->stateText();
        state.address = m_server->address();
        state.clientCount = m_server->isRunning() ? m_server->clientCount() : -1;
        state.lastError = m_server->lastError();
        state.canStart = m_server->state() == ServerController::State::Stopped;
        state.canStop = m_server->isRunning();
        state.canOpenInbox = m_server->isRunning();
    }
    m_tray->update(state);
}
