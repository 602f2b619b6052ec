// SPDX-License-Identifier: MIT
#pragma once
// The tray icon and its menu: the server's state (running or stopped, address, connected
// clients, last error) as disabled lines, then the actions. It only shows; DesktopApp acts on
// the signals.

#include <QObject>
#include <QString>

class QAction;
class QMenu;
class QSystemTrayIcon;

struct TrayState
{
    QString stateLine;   // "Server running", "Remote server: https://…"
    QString address;     // empty hides the line
    int clientCount = -1; // < 0 hides the line
    QString lastError;   // empty hides the line
    bool canStart = false;
    bool canStop = false;
    bool canOpenInbox = false;
};

class TrayMenu : public QObject
{
    Q_OBJECT
public:
    explicit TrayMenu(QObject *parent = nullptr);
    ~TrayMenu() override;

    // Shows the icon (only call when QSystemTrayIcon::isSystemTrayAvailable()).
    void show();
    void update(const TrayState &state);
    [[nodiscard]] QMenu *menu() const { return m_menu; }

Q_SIGNALS:
    void openInboxRequested();
    void settingsRequested();
    void startRequested();
    void stopRequested();
    void quitRequested();

private:
    QMenu *m_menu;
    QSystemTrayIcon *m_icon = nullptr;
    QAction *m_state;
    QAction *m_address;
    QAction *m_clients;
    QAction *m_error;
    QAction *m_openInbox;
    QAction *m_start;
    QAction *m_stop;
};
