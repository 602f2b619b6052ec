// SPDX-License-Identifier: MIT
// SocketIoClient against the two servers it must work with: the reference Node socket.io 4
// (tests/support/socketio-peer.mjs) and our own inbox-central. Connect with auth, events both
// ways, acks both ways, CONNECT_ERROR, heartbeat, reconnect after a lost transport with a fresh
// auth, server-side disconnect, clean close, emits buffered while offline, real-time events of
// the real server.

#include "socketioclient.h"
#include "uitestserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace {

// The Node peer, started per test case: its port from its first stdout line, then its reports.
class NodePeer
{
public:
    bool start(const QStringList &args = {})
    {
        m_process.setProgram(u"node"_s);
        m_process.setArguments(
                QStringList {QStringLiteral(INBOX_SOURCE_DIR "/tests/support/socketio-peer.mjs")}
                + args);
        m_process.setWorkingDirectory(QStringLiteral(INBOX_SOURCE_DIR));
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start();
        if (!m_process.waitForStarted(5000)) {
            return false;
        }
        for (int i = 0; i < 100 && !m_process.canReadLine(); ++i) {
            m_process.waitForReadyRead(100);
        }
        const QJsonObject first = QJsonDocument::fromJson(m_process.readLine()).object();
        m_port = first.value(u"port"_s).toInt();
        return m_port > 0;
    }
    ~NodePeer()
    {
        m_process.closeWriteChannel(); // the peer exits when stdin closes
        if (!m_process.waitForFinished(3000)) {
            m_process.kill();
            m_process.waitForFinished(2000);
        }
    }
    [[nodiscard]] QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port)); }
    // Waits for a report line whose "event" is `event`; returns it ({} on timeout).
    QJsonObject waitForReport(const QString &event, int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            while (m_process.canReadLine()) {
                const QJsonObject report = QJsonDocument::fromJson(m_process.readLine()).object();
                if (report.value(u"event"_s).toString() == event) {
                    return report;
                }
            }
            QTest::qWait(20);
        }
        return {};
    }

private:
    QProcess m_process;
    int m_port = 0;
};

// The arguments of the first `name` event in `spy` (a spy on eventReceived), waiting for it.
QJsonArray waitForEvent(QSignalSpy &spy, const QString &name, int timeoutMs = 5000)
{
    QElapsedTimer timer;
    timer.start();
    int seen = 0;
    while (timer.elapsed() < timeoutMs) {
        for (; seen < spy.size(); ++seen) {
            if (spy.at(seen).at(0).toString() == name) {
                return spy.at(seen).at(1).toJsonArray();
            }
        }
        QTest::qWait(20);
    }
    return {QJsonValue(u"<timeout>"_s)};
}

} // namespace

class TestSocketIoClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    // Against Node socket.io.
    void nodeConnectsWithAuthAndReceivesEvents();
    void nodeEmitsAndAcksBothWays();
    void nodeRefusedConnectIsReported();
    void nodeHeartbeatKeepsTheConnection();
    void nodeReconnectsAfterLostTransportWithFreshAuth();
    void nodeServerDisconnectIsFinal();
    void nodeCleanCloseIsSeenByTheServer();
    void nodeEmitsBeforeConnectAreBuffered();

    // Against inbox-central.
    void serverAcceptsTokenAndAnswersJoin();
    void serverRefusesBadToken();
    void serverPushesMessageNew();
    void serverHeartbeatAndRecovery();

private:
    UiTestServer m_server;
    TestAccount m_account;
};

void TestSocketIoClient::initTestCase()
{
    QString error;
    QVERIFY2(m_server.start({{u"SOCKET_PING_INTERVAL_MS"_s, u"300"_s},
                             {u"SOCKET_PING_TIMEOUT_MS"_s, u"400"_s}},
                            &error),
             qPrintable(error));
    m_account = m_server.signUp(u"socket"_s);
    QVERIFY(!m_account.accessToken.isEmpty());
}

void TestSocketIoClient::cleanupTestCase()
{
    m_server.stop();
}

void TestSocketIoClient::nodeConnectsWithAuthAndReceivesEvents()
{
    NodePeer peer;
    QVERIFY(peer.start());
    SocketIoClient client;
    client.setUrl(peer.url());
    QCOMPARE(client.endpoint().query(), u"EIO=4&transport=websocket"_s);
    client.setAuthProvider([] { return QJsonObject {{u"token"_s, u"good"_s}}; });
    QSignalSpy connected(&client, &SocketIoClient::connected);
    QSignalSpy events(&client, &SocketIoClient::eventReceived);
    client.open();
    QVERIFY(connected.wait(5000));
    QVERIFY(client.isConnected());
    QVERIFY(!client.socketId().isEmpty());
    const QJsonArray welcome = waitForEvent(events, u"welcome"_s);
    QCOMPARE(welcome, (QJsonArray {QJsonObject {{u"token"_s, u"good"_s}}}));
    QCOMPARE(peer.waitForReport(u"connection"_s).value(u"auth"_s).toObject(),
             (QJsonObject {{u"token"_s, u"good"_s}}));
}

void TestSocketIoClient::nodeEmitsAndAcksBothWays()
{
    NodePeer peer;
    QVERIFY(peer.start());
    SocketIoClient client;
    client.setUrl(peer.url());
    QSignalSpy connected(&client, &SocketIoClient::connected);
    QSignalSpy events(&client, &SocketIoClient::eventReceived);
    client.open();
    QVERIFY(connected.wait(5000));

    // Client → server event, server → client event.
    const QJsonArray payload {u"hé ✓"_s, QJsonObject {{u"n"_s, 1}}, QJsonArray {1, 2, 3}, true};
    client.emitEvent(u"echo"_s, payload);
    QCOMPARE(waitForEvent(events, u"echo-back"_s), payload);

    // Client → server with ack.
    bool acked = false;
    QJsonArray ackArgs;
    client.emitWithAck(u"ack-me"_s, {u"x"_s, 7}, this, [&](bool ok, const QJsonArray &args) {
        acked = ok;
        ackArgs = args;
    });
    QTRY_VERIFY_WITH_TIMEOUT(acked, 5000);
    QCOMPARE(ackArgs, (QJsonArray {u"x"_s, 7}));

    // Server → client with ack: the server reports what we answered.
    connect(&client, &SocketIoClient::eventReceived, this,
            [&client](const QString &name, const QJsonArray &args, qint64 ackId) {
                if (name == u"question"_s && ackId >= 0) {
                    client.sendAck(ackId, {args.first().toInt() + 1});
                }
            });
    client.emitEvent(u"ask"_s);
    QCOMPARE(waitForEvent(events, u"answered"_s), QJsonArray {43});
}

void TestSocketIoClient::nodeRefusedConnectIsReported()
{
    NodePeer peer;
    QVERIFY(peer.start());
    SocketIoClient client;
    client.setUrl(peer.url());
    client.setAuthProvider([] { return QJsonObject {{u"token"_s, u"bad"_s}}; });
    QSignalSpy refused(&client, &SocketIoClient::connectError);
    QSignalSpy connected(&client, &SocketIoClient::connected);
    client.open();
    QVERIFY(refused.wait(5000));
    QCOMPARE(refused.at(0).at(0).toString(), u"not allowed"_s);
    QCOMPARE(refused.at(0).at(1).toJsonValue().toObject(),
             (QJsonObject {{u"code"_s, u"invalid_token"_s}}));
    QCOMPARE(client.state(), SocketIoClient::State::Disconnected);
    QTest::qWait(500); // a refused CONNECT is not retried by itself
    QCOMPARE(connected.size(), 0);
    QCOMPARE(refused.size(), 1);
}

void TestSocketIoClient::nodeHeartbeatKeepsTheConnection()
{
    NodePeer peer;
    QVERIFY(peer.start({u"--ping-interval"_s, u"150"_s, u"--ping-timeout"_s, u"150"_s}));
    SocketIoClient client;
    client.setUrl(peer.url());
    QSignalSpy connected(&client, &SocketIoClient::connected);
    QSignalSpy disconnected(&client, &SocketIoClient::disconnected);
    client.open();
    QVERIFY(connected.wait(5000));
    // Ten ping intervals: without our pongs the server drops us after 300 ms.
    QTest::qWait(1500);
    QCOMPARE(disconnected.size(), 0);
    QVERIFY(client.isConnected());
}

void TestSocketIoClient::nodeReconnectsAfterLostTransportWithFreshAuth()
{
    NodePeer peer;
    QVERIFY(peer.start());
    SocketIoClient client;
    client.setUrl(peer.url());
    client.setReconnectDelays(50, 500);
    int handshakes = 0;
    // Asked at every CONNECT: a reconnect carries the token of that moment.
    client.setAuthProvider([&handshakes] {
        return QJsonObject {{u"token"_s, u"token-%1"_s.arg(++handshakes)}};
    });
    QSignalSpy connected(&client, &SocketIoClient::connected);
    QSignalSpy disconnected(&client, &SocketIoClient::disconnected);
    QSignalSpy scheduled(&client, &SocketIoClient::reconnectScheduled);
    QSignalSpy events(&client, &SocketIoClient::eventReceived);
    client.open();
    QVERIFY(connected.wait(5000));
    client.emitEvent(u"drop"_s);
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(disconnected.at(0).at(0).toString(), u"transport close"_s);
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 5000);
    QVERIFY(scheduled.size() >= 1);
    QVERIFY(scheduled.at(0).at(1).toInt() <= 500);
    // The second welcome echoes the second auth.
    QTRY_VERIFY_WITH_TIMEOUT(std::count_if(events.cbegin(), events.cend(),
                                           [](const QList<QVariant> &e) {
                                               return e.at(0).toString() == u"welcome"_s;
                                           })
                                     == 2,
                             5000);
    const auto last = std::find_if(events.crbegin(), events.crend(), [](const QList<QVariant> &e) {
        return e.at(0).toString() == u"welcome"_s;
    });
    QCOMPARE(last->at(1).toJsonArray().first().toObject().value(u"token"_s).toString(),
             u"token-2"_s);
}

void TestSocketIoClient::nodeServerDisconnectIsFinal()
{
    NodePeer peer;
    QVERIFY(peer.start());
    SocketIoClient client;
    client.setUrl(peer.url());
    client.setReconnectDelays(50, 100);
    QSignalSpy connected(&client, &SocketIoClient::connected);
    QSignalSpy disconnected(&client, &SocketIoClient::disconnected);
    client.open();
    QVERIFY(connected.wait(5000));
    client.emitEvent(u"kick"_s);
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(disconnected.at(0).at(0).toString(), u"io server disconnect"_s);
    QTest::qWait(600);
    QCOMPARE(connected.size(), 1);
    QCOMPARE(client.state(), SocketIoClient::State::Disconnected);
}

void TestSocketIoClient::nodeCleanCloseIsSeenByTheServer()
{
    NodePeer peer;
    QVERIFY(peer.start());
    SocketIoClient client;
    client.setUrl(peer.url());
    QSignalSpy connected(&client, &SocketIoClient::connected);
    QSignalSpy disconnected(&client, &SocketIoClient::disconnected);
    client.open();
    QVERIFY(connected.wait(5000));
    QVERIFY(!peer.waitForReport(u"connection"_s).isEmpty());
    client.close();
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(disconnected.at(0).at(0).toString(), u"io client disconnect"_s);
    // The server saw a Socket.IO DISCONNECT, not a dropped transport.
    QCOMPARE(peer.waitForReport(u"disconnect"_s).value(u"reason"_s).toString(),
             u"client namespace disconnect"_s);
}

void TestSocketIoClient::nodeEmitsBeforeConnectAreBuffered()
{
    NodePeer peer;
    QVERIFY(peer.start());
    SocketIoClient client;
    client.setUrl(peer.url());
    QSignalSpy events(&client, &SocketIoClient::eventReceived);
    bool acked = false;
    client.emitWithAck(u"ack-me"_s, {u"early"_s}, this, [&](bool ok, const QJsonArray &args) {
        acked = ok && args == QJsonArray {u"early"_s};
    });
    client.emitEvent(u"echo"_s, {u"early too"_s});
    client.open();
    QTRY_VERIFY_WITH_TIMEOUT(acked, 5000);
    QCOMPARE(waitForEvent(events, u"echo-back"_s), QJsonArray {u"early too"_s});
}

void TestSocketIoClient::serverAcceptsTokenAndAnswersJoin()
{
    SocketIoClient client;
    client.setUrl(m_server.url());
    const QString token = m_account.accessToken;
    client.setAuthProvider([token] { return QJsonObject {{u"token"_s, token}}; });
    QSignalSpy connected(&client, &SocketIoClient::connected);
    client.open();
    QVERIFY(connected.wait(5000));
    QVERIFY(!client.socketId().isEmpty());

    bool done = false;
    QJsonArray answer;
    client.emitWithAck(u"conversation.join"_s, {QJsonObject {{u"conversationId"_s, u"nope"_s}}},
                       this, [&](bool ok, const QJsonArray &args) {
                           done = ok;
                           answer = args;
                       });
    QTRY_VERIFY_WITH_TIMEOUT(done, 5000);
    QCOMPARE(answer.first().toObject().value(u"ok"_s).toBool(true), false);
    QCOMPARE(answer.first().toObject().value(u"error"_s).toString(), u"not found"_s);
}

void TestSocketIoClient::serverRefusesBadToken()
{
    SocketIoClient client;
    client.setUrl(m_server.url());
    client.setAuthProvider([] { return QJsonObject {{u"token"_s, u"not-a-jwt"_s}}; });
    QSignalSpy refused(&client, &SocketIoClient::connectError);
    client.open();
    QVERIFY(refused.wait(5000));
    QVERIFY(refused.at(0).at(0).toString().startsWith(u"Invalid token"_s));
    QCOMPARE(refused.at(0).at(1).toJsonValue().toObject().value(u"code"_s).toString(),
             u"invalid_token"_s);
}

void TestSocketIoClient::serverPushesMessageNew()
{
    SocketIoClient client;
    client.setUrl(m_server.url());
    const QString token = m_account.accessToken;
    client.setAuthProvider([token] { return QJsonObject {{u"token"_s, token}}; });
    QSignalSpy connected(&client, &SocketIoClient::connected);
    QSignalSpy events(&client, &SocketIoClient::eventReceived);
    client.open();
    QVERIFY(connected.wait(5000));

    const QString contact = m_server.createContact(m_account, u"Ada"_s, u"+14155550111"_s);
    const QString conversation = m_server.openConversation(m_account, contact);
    QVERIFY(!conversation.isEmpty());
    const QJsonObject sent = m_server.sendMessage(m_account, conversation, u"hello live"_s);
    QVERIFY(!sent.value(u"id"_s).toString().isEmpty());

    const QJsonArray args = waitForEvent(events, u"message.new"_s);
    const QJsonObject message = args.first().toObject();
    QCOMPARE(message.value(u"id"_s).toString(), sent.value(u"id"_s).toString());
    QCOMPARE(message.value(u"body"_s).toString(), u"hello live"_s);
    // The recovery offset the server appends is consumed, not passed on as an argument.
    QCOMPARE(args.size(), 1);
}

void TestSocketIoClient::serverHeartbeatAndRecovery()
{
    SocketIoClient client;
    client.setUrl(m_server.url());
    client.setReconnectDelays(50, 200);
    const QString token = m_account.accessToken;
    client.setAuthProvider([token] { return QJsonObject {{u"token"_s, token}}; });
    QSignalSpy connected(&client, &SocketIoClient::connected);
    QSignalSpy disconnected(&client, &SocketIoClient::disconnected);
    QSignalSpy events(&client, &SocketIoClient::eventReceived);
    client.open();
    QVERIFY(connected.wait(5000));
    // The server pings every 300 ms and gives 400 ms for the pong.
    QTest::qWait(1500);
    QCOMPARE(disconnected.size(), 0);

    // Recovery: after a lost transport the client comes back with pid + offset and the server
    // resumes the session (same socket id) — proven by recovered().
    const QString contact = m_server.createContact(m_account, u"Bob"_s, u"+14155550122"_s);
    const QString conversation = m_server.openConversation(m_account, contact);
    m_server.sendMessage(m_account, conversation, u"before the drop"_s);
    QCOMPARE(waitForEvent(events, u"message.new"_s).first().toObject().value(u"body"_s).toString(),
             u"before the drop"_s);
    const QString socketId = client.socketId();
    // A network loss: the test aborts the transport under the client.
    const auto sockets = client.findChildren<QWebSocket *>();
    QCOMPARE(sockets.size(), 1);
    client.setReconnectDelays(700, 700);
    sockets.first()->abort();
    QCOMPARE(disconnected.size(), 1);
    // Sent while the client is away: replayed from the outbox when it comes back, exactly once.
    m_server.sendMessage(m_account, conversation, u"while away"_s);
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 5000);
    QVERIFY(client.recovered());
    QCOMPARE(client.socketId(), socketId);
    QTRY_VERIFY_WITH_TIMEOUT(
            std::count_if(events.cbegin(), events.cend(),
                          [](const QList<QVariant> &e) {
                              return e.at(0).toString() == u"message.new"_s
                                      && e.at(1).toJsonArray().first().toObject().value(u"body"_s)
                                      == u"while away"_s;
                          })
                    == 1,
            5000);
    QTest::qWait(300);
    QCOMPARE(std::count_if(events.cbegin(), events.cend(),
                           [](const QList<QVariant> &e) {
                               return e.at(0).toString() == u"message.new"_s
                                       && e.at(1).toJsonArray().first().toObject().value(u"body"_s)
                                       == u"while away"_s;
                           }),
             1);
}

QTEST_GUILESS_MAIN(TestSocketIoClient)
#include "tst_socketioclient.moc"
