// SPDX-License-Identifier: MIT
#include "traymenu.h"

#include <QIcon>
#include <QMenu>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

TrayMenu::TrayMenu(QObject *parent) : QObject(parent), m_menu(new QMenu)
{
    m_state = m_menu->addAction(QString());
    m_address = m_menu->addAction(QString());
    m_clients = m_menu->addAction(QString());
    m_error = m_menu->addAction(QString());
    for (QAction *info : {m_state, m_address, m_clients, m_error}) {
        info->setEnabled(false);
    }
    m_menu->addSeparator();
    m_openInbox = m_menu->addAction(tr("Open inbox"), this, &TrayMenu::openInboxRequested);
    m_menu->addAction(tr("Settings…"), this, &TrayMenu::settingsRequested);
    m_start = m_menu->addAction(tr("Start server"), this, &TrayMenu::startRequested);
    m_stop = m_menu->addAction(tr("Stop server"), this, &TrayMenu::stopRequested);
    m_menu->addSeparator();
    m_menu->addAction(tr("Quit"), this, &TrayMenu::quitRequested);
}

TrayMenu::~TrayMenu()
{
    delete m_menu; // a QMenu has no QObject parent here: the tray icon does not own it
}

void TrayMenu::show()
{
    if (!m_icon) {
        m_icon = new QSystemTrayIcon(QIcon(u":/icons/inbox-central.svg"_s), this);
        m_icon->setContextMenu(m_menu);
        connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger) {
                Q_EMIT openInboxRequested();
            }
        });
    }
    m_icon->show();
}

void TrayMenu::update(const TrayState &state)
{
    m_state->setText(state.stateLine);
    m_address->setText(tr("Address: %1").arg(state.address));
    m_address->setVisible(!state.address.isEmpty());
    m_clients->setText(tr("Connected clients: %1").arg(state.clientCount));
    m_clients->setVisible(state.clientCount >= 0);
    m_error->setText(tr("Last error: %1").arg(state.lastError));
    m_error->setVisible(!state.lastError.isEmpty());
    m_start->setVisible(state.canStart);
    m_stop->setVisible(state.canStop);
    m_openInbox->setEnabled(state.canOpenInbox);
    if (m_icon) {
        QString tip = tr("Inbox Central — %1").arg(state.stateLine);
        if (!state.address.isEmpty()) {
            tip += u"\n"_s + state.address;
        }
        m_icon->setToolTip(tip);
    }
}
