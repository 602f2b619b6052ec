// SPDX-License-Identifier: MIT
// The embedded server as the tray drives it: start on a temporary SQLite database, serve HTTP
// and real-time clients (counted for the tray), stop cleanly, and report a start that fails.

#include "desktopsettings.h"
#include "servercontroller.h"

#include "freeport.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace {

Config configIn(const QTemporaryDir &dir, quint16 port)
{
    DesktopSettings settings;
    settings.host = u"127.0.0.1"_s;
    settings.port = port;
    settings.dataDir = dir.path();
    QProcessEnvironment env;
    env.insert(u"ACCESS_LOG"_s, u"0"_s);
    Result<Config> config = settings.serverConfig(env);
    if (!config) {
        qWarning() << config.error().detail;
        return {};
    }
    return config.value();
}

int httpStatus(const QString &url)
{
    QNetworkAccessManager network;
    QNetworkRequest request{QUrl(url)};
    request.setTransferTimeout(5000);
    std::unique_ptr<QNetworkReply> reply(network.get(request));
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 10000)) {
        return -1;
    }
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

} // namespace

class TestServerController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startServesThenStopCloses();
    void countsRealtimeClients();
    void aPortInUseIsReported();
};

void TestServerController::startServesThenStopCloses()
{
    QTemporaryDir dir;
    ServerController controller;
    QCOMPARE(controller.state(), ServerController::State::Stopped);
    QVERIFY(controller.address().isEmpty());

    QSignalSpy started(&controller, &ServerController::started);
    controller.start(configIn(dir, freeTcpPort()));
    // start() returns at once: the database and the listener are opened on the server's thread.
    QCOMPARE(controller.state(), ServerController::State::Starting);
    QVERIFY(started.wait(20000));
    QCOMPARE(controller.state(), ServerController::State::Running);
    QVERIFY(controller.port() != 0);
    QCOMPARE(controller.address(), u"http://127.0.0.1:%1"_s.arg(controller.port()));
    QCOMPARE(controller.stateText(), u"Server running"_s);
    QVERIFY(!controller.hasUsers());
    QVERIFY(QFileInfo::exists(dir.filePath(u"inbox-central.db"_s)));
    QCOMPARE(httpStatus(controller.address() + u"/healthz"_s), 200);
    QCOMPARE(httpStatus(controller.address() + u"/readyz"_s), 200);

    const QString address = controller.address();
    QSignalSpy stopped(&controller, &ServerController::stopped);
    controller.stop();
    QCOMPARE(controller.state(), ServerController::State::Stopping);
    QVERIFY(stopped.wait(20000));
    QCOMPARE(controller.state(), ServerController::State::Stopped);
    QVERIFY(controller.lastError().isEmpty());
    QCOMPARE(httpStatus(address + u"/healthz"_s), 0); // connection refused

    // And it starts again on the same data.
    started.clear();
    controller.start(configIn(dir, freeTcpPort()));
    QVERIFY(started.wait(20000));
    QCOMPARE(httpStatus(controller.address() + u"/healthz"_s), 200);
}

void TestServerController::countsRealtimeClients()
{
    QTemporaryDir dir;
    ServerController controller;
    controller.setClientPollInterval(100);
    QSignalSpy started(&controller, &ServerController::started);
    controller.start(configIn(dir, freeTcpPort()));
    QVERIFY(started.wait(20000));
    QCOMPARE(controller.clientCount(), 0);

    // An Engine.IO client over WebSocket (no sign-in needed to be connected).
    QWebSocket socket;
    socket.open(QUrl(u"ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket"_s.arg(controller.port())));
    QTRY_COMPARE_WITH_TIMEOUT(controller.clientCount(), 1, 10000);
    socket.close();
    QTRY_COMPARE_WITH_TIMEOUT(controller.clientCount(), 0, 10000);
}

void TestServerController::aPortInUseIsReported()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress(u"127.0.0.1"_s), 0));
    QTemporaryDir dir;
    ServerController controller;
    QSignalSpy failed(&controller, &ServerController::failed);
    QSignalSpy stopped(&controller, &ServerController::stopped);
    controller.start(configIn(dir, squatter.serverPort()));
    QVERIFY(failed.wait(20000));
    QVERIFY(!controller.lastError().isEmpty());
    QVERIFY(stopped.count() == 1 || stopped.wait(10000));
    QCOMPARE(controller.state(), ServerController::State::Stopped);
    QVERIFY(!controller.lastError().isEmpty()); // kept for the tray
}

QTEST_GUILESS_MAIN(TestServerController)
#include "tst_servercontroller.moc"
