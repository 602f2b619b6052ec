// SPDX-License-Identifier: MIT
// The tray menu shows the server's state (running or stopped, address, connected clients, last
// error) and offers the actions that fit it. Checked on the menu itself, which exists with or
// without a system tray to show it in.

#include "traymenu.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QAction *actionNamed(QMenu *menu, const QString &prefix)
{
    const QList<QAction *> actions = menu->actions();
    for (QAction *action : actions) {
        if (action->text().startsWith(prefix)) {
            return action;
        }
    }
    return nullptr;
}

} // namespace

class TestTrayMenu : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void running();
    void stoppedWithAnError();
    void actionsEmitTheirSignals();
};

void TestTrayMenu::running()
{
    TrayMenu tray;
    tray.update({.stateLine = u"Server running"_s, .address = u"http://127.0.0.1:5000"_s,
                 .clientCount = 3, .lastError = {}, .canStart = false, .canStop = true,
                 .canOpenInbox = true});
    QMenu *menu = tray.menu();
    QAction *state = actionNamed(menu, u"Server running"_s);
    QVERIFY(state && !state->isEnabled()); // information, not an action
    QVERIFY(actionNamed(menu, u"Address: http://127.0.0.1:5000"_s)->isVisible());
    QVERIFY(actionNamed(menu, u"Connected clients: 3"_s)->isVisible());
    QVERIFY(!actionNamed(menu, u"Last error"_s)->isVisible());
    QVERIFY(actionNamed(menu, u"Stop server"_s)->isVisible());
    QVERIFY(!actionNamed(menu, u"Start server"_s)->isVisible());
    QVERIFY(actionNamed(menu, u"Open inbox"_s)->isEnabled());
    QVERIFY(actionNamed(menu, u"Quit"_s));
}

void TestTrayMenu::stoppedWithAnError()
{
    TrayMenu tray;
    tray.update({.stateLine = u"Server stopped"_s, .address = {}, .clientCount = -1,
                 .lastError = u"the port is already in use"_s, .canStart = true, .canStop = false,
                 .canOpenInbox = false});
    QMenu *menu = tray.menu();
    QVERIFY(actionNamed(menu, u"Server stopped"_s));
    QVERIFY(!actionNamed(menu, u"Address"_s)->isVisible());
    QVERIFY(!actionNamed(menu, u"Connected clients"_s)->isVisible());
    QVERIFY(actionNamed(menu, u"Last error: the port is already in use"_s)->isVisible());
    QVERIFY(actionNamed(menu, u"Start server"_s)->isVisible());
    QVERIFY(!actionNamed(menu, u"Stop server"_s)->isVisible());
    QVERIFY(!actionNamed(menu, u"Open inbox"_s)->isEnabled());
}

void TestTrayMenu::actionsEmitTheirSignals()
{
    TrayMenu tray;
    QSignalSpy open(&tray, &TrayMenu::openInboxRequested);
    QSignalSpy settings(&tray, &TrayMenu::settingsRequested);
    QSignalSpy quit(&tray, &TrayMenu::quitRequested);
    actionNamed(tray.menu(), u"Open inbox"_s)->trigger();
    actionNamed(tray.menu(), u"Settings"_s)->trigger();
    actionNamed(tray.menu(), u"Quit"_s)->trigger();
    QCOMPARE(open.count(), 1);
    QCOMPARE(settings.count(), 1);
    QCOMPARE(quit.count(), 1);
}

QTEST_MAIN(TestTrayMenu)
#include "tst_traymenu.moc"
