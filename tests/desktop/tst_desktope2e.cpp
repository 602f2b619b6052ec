// SPDX-License-Identifier: MIT
// End to end, the way a user meets the desktop app: the app (DesktopApp, as main() runs it) on a
// display without a system tray starts its embedded server on a temporary SQLite database and
// opens the QML inbox instead of a tray icon. Another client (this test, over HTTP) creates the
// admin and an inbox, and Twilio (signed webhooks, as Twilio signs them) delivers SMS. The user
// signs in in the window, opens the conversation, and the next SMS arrives through the real-time
// channel into the message model and onto the screen. A screenshot is saved for review.

#include "desktopapp.h"
#include "servercontroller.h"
#include "settingscontroller.h"

#include "channels/twilio/twilioform.h"
#include "channels/twilio/twiliosignature.h"
#include "freeport.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(InboxCentral_DesktopPlugin)

using namespace Qt::StringLiterals;

namespace {

const QString kPublicUrl = u"http://inbox.test"_s; // what Twilio "signs"; never dialled
const QString kAccountSid = u"AC0123456789abcdef0123456789abcdef"_s;
const QByteArray kAuthToken = "0123456789abcdef0123456789abcdef";
const QString kInboxNumber = u"+15005550006"_s;
const QString kCustomer = u"+14155550123"_s;
const QString kEmail = u"ada@example.com"_s;
const QString kPassword = u"correct horse battery"_s;

struct Answer
{
    int status = 0;
    QJsonObject body;
};

// Another client of the server: plain HTTP, waiting for each answer.
class Http
{
public:
    explicit Http(QString base) : m_base(std::move(base)) {}
    QString token;

    Answer json(const QByteArray &verb, const QString &path, const QJsonObject &body = {})
    {
        QNetworkRequest request(QUrl(m_base + path));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        if (!token.isEmpty()) {
            request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        }
        return wait(m_network.sendCustomRequest(request, verb, QJsonDocument(body).toJson()));
    }

    // An inbound SMS as Twilio posts it, signed with the inbox's auth token.
    Answer inboundSms(const QString &body, const QString &sid)
    {
        QUrlQuery form;
        for (const auto &[name, value] : {std::pair{u"MessageSid"_s, sid}, {u"SmsMessageSid"_s, sid},
                                          {u"SmsSid"_s, sid}, {u"AccountSid"_s, kAccountSid},
                                          {u"From"_s, kCustomer}, {u"To"_s, kInboxNumber},
                                          {u"Body"_s, body}, {u"NumMedia"_s, u"0"_s},
                                          {u"NumSegments"_s, u"1"_s}, {u"SmsStatus"_s, u"received"_s},
                                          {u"ApiVersion"_s, u"2010-04-01"_s}}) {
            form.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
        }
        const QByteArray encoded = form.query(QUrl::FullyEncoded).toLatin1();
        const QString path = u"/api/v1/webhooks/twilio/messages"_s;
        QNetworkRequest request(QUrl(m_base + path));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/x-www-form-urlencoded"_s);
        request.setRawHeader("X-Twilio-Signature",
                             TwilioSignature::compute(kAuthToken, kPublicUrl + path, TwilioForm::parse(encoded)));
        return wait(m_network.post(request, encoded));
    }

private:
    Answer wait(QNetworkReply *reply)
    {
        std::unique_ptr<QNetworkReply> owned(reply);
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 15000)) {
            return {};
        }
        return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                QJsonDocument::fromJson(reply->readAll()).object()};
    }

    QString m_base;
    QNetworkAccessManager m_network;
};

int roleNamed(const QAbstractItemModel *model, const QByteArray &name)
{
    const QHash<int, QByteArray> roles = model->roleNames();
    for (auto it = roles.cbegin(); it != roles.cend(); ++it) {
        if (it.value() == name) {
            return it.key();
        }
    }
    return -1;
}

int rowWith(const QAbstractItemModel *model, const QByteArray &role, const QString &value)
{
    const int r = roleNamed(model, role);
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(r).toString() == value) {
            return row;
        }
    }
    return -1;
}

// A visible item on screen whose text is `text` (a Text, Label or TextEdit of a delegate).
QQuickItem *itemShowing(QQuickItem *root, const QString &text)
{
    if (!root->isVisible()) {
        return nullptr;
    }
    const QVariant shown = root->property("text");
    if (shown.isValid() && shown.toString().contains(text)) {
        return root;
    }
    const QList<QQuickItem *> children = root->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *found = itemShowing(child, text)) {
            return found;
        }
    }
    return nullptr;
}

} // namespace

class TestDesktopEndToEnd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void signInOpenConversationReceiveMessage();
    void remoteModeUsesASeparateServer();
};

void TestDesktopEndToEnd::signInOpenConversationReceiveMessage()
{
    QTemporaryDir dir;
    const QString settingsFile = dir.filePath(u"desktop.conf"_s);
    const quint16 port = freeTcpPort();
    {
        QSettings settings(settingsFile, QSettings::IniFormat);
        settings.setValue(u"mode"_s, u"embedded"_s);
        settings.setValue(u"server/host"_s, u"127.0.0.1"_s);
        settings.setValue(u"server/port"_s, port);
        settings.setValue(u"server/dataDir"_s, dir.filePath(u"data"_s));
        settings.setValue(u"server/publicUrl"_s, kPublicUrl);
    }
    DesktopOptions options;
    options.settingsFile = settingsFile;
    options.environment = QProcessEnvironment::systemEnvironment();
    options.environment.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
    options.environment.insert(u"ACCESS_LOG"_s, u"0"_s);
    options.environment.insert(u"TWILIO_API_BASE"_s, u"http://127.0.0.1:9"_s); // no real Twilio
    options.useTray = true; // as main() does: this display has no tray, so the inbox opens

    DesktopApp app(options);
    QSignalSpy ready(&app, &DesktopApp::ready);
    QSignalSpy opened(&app, &DesktopApp::inboxWindowOpened);
    app.start();
    QVERIFY(ready.wait(30000));
    const QString serverUrl = ready.first().first().toString();
    QCOMPARE(serverUrl, u"http://127.0.0.1:%1"_s.arg(port));
    QCOMPARE(app.server()->state(), ServerController::State::Running);
    QVERIFY2(!app.tray(), "offscreen has no system tray");
    QCOMPARE(app.settings()->secretBackend(), u"file"_s);

    // The inbox window opened by itself.
    QVERIFY(opened.count() == 1 || opened.wait(20000));
    QQuickWindow *window = app.inboxWindow();
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));

    // Another client: the first account (admin), an SMS inbox with Twilio credentials, and a
    // first SMS from a customer (which creates the contact and the conversation).
    Http other(serverUrl);
    Answer signup = other.json("POST", u"/api/v1/auth/signup"_s,
                               {{u"email"_s, kEmail}, {u"password"_s, kPassword}, {u"name"_s, u"Ada Lovelace"_s}});
    QCOMPARE(signup.status, 201);
    other.token = signup.body.value(u"accessToken"_s).toString();
    const QString teamId = signup.body.value(u"user"_s).toObject().value(u"teams"_s).toArray().first()
                                   .toObject().value(u"id"_s).toString();
    QVERIFY(!teamId.isEmpty());
    Answer inbox = other.json("POST", u"/api/v1/teams/%1/inboxes"_s.arg(teamId),
                              {{u"name"_s, u"Front desk"_s}, {u"channel"_s, u"sms"_s},
                               {u"address"_s, kInboxNumber}, {u"accountSid"_s, kAccountSid},
                               {u"authToken"_s, QString::fromLatin1(kAuthToken)}});
    QCOMPARE(inbox.status, 201);
    QCOMPARE(other.inboundSms(u"Hi! Is my order #1042 ready?"_s, u"SM00000000000000000000000000000001"_s).status, 200);

    // The user signs in in the window.
    auto *session = window->property("session").value<QObject *>();
    QVERIFY(session);
    QVERIFY(QMetaObject::invokeMethod(session, "signIn", Q_ARG(QString, kEmail), Q_ARG(QString, kPassword)));
    QTRY_VERIFY_WITH_TIMEOUT(session->property("signedIn").toBool(), 20000);

    // The conversation is listed; the user opens it.
    auto *conversations = window->property("conversations").value<QAbstractItemModel *>();
    QVERIFY(conversations);
    QTRY_VERIFY_WITH_TIMEOUT(conversations->rowCount() >= 1, 20000);
    const QString conversationId =
            conversations->index(0, 0).data(roleNamed(conversations, "conversationId")).toString();
    QVERIFY(!conversationId.isEmpty());
    QVERIFY(QMetaObject::invokeMethod(window, "openConversation", Q_ARG(QVariant, conversationId)));
    auto *messages = window->property("messages").value<QAbstractItemModel *>();
    QVERIFY(messages);
    QTRY_VERIFY_WITH_TIMEOUT(rowWith(messages, "body", u"Hi! Is my order #1042 ready?"_s) >= 0, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(session->property("realtimeConnected").toBool(), 20000);
    // The tray's count of connected clients sees the window's socket.
    QTRY_VERIFY_WITH_TIMEOUT(app.server()->clientCount() >= 1, 10000);

    // The server pushes the next SMS to the open conversation.
    const QString pushed = u"Great, I'll pick it up at 5pm. Thanks!"_s;
    QCOMPARE(other.inboundSms(pushed, u"SM00000000000000000000000000000002"_s).status, 200);
    QTRY_VERIFY_WITH_TIMEOUT(rowWith(messages, "body", pushed) >= 0, 20000);
    const int row = rowWith(messages, "body", pushed);
    QCOMPARE(messages->index(row, 0).data(roleNamed(messages, "direction")).toString(), u"inbound"_s);
    // ... and it is on screen.
    QQuickItem *shown = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((shown = itemShowing(window->contentItem(), pushed)) != nullptr, 10000);
    QVERIFY(shown->width() > 0 && shown->height() > 0);

    // The screenshot, for review.
    QTest::qWait(300); // let the list settle after its scroll to the newest message
    const QImage image = window->grabWindow();
    QVERIFY(!image.isNull());
    const QString outputDir = qEnvironmentVariable("INBOX_TEST_OUTPUT", QDir::tempPath());
    QVERIFY(QDir().mkpath(outputDir));
    const QString png = QDir(outputDir).filePath(u"desktop-e2e.png"_s);
    QVERIFY(image.save(png));
    qInfo().noquote() << "screenshot:" << png;

    // Quit as the menu does: the server stops cleanly first.
    QSignalSpy stopped(app.server(), &ServerController::stopped);
    app.quit();
    QVERIFY(stopped.wait(20000));
    QCOMPARE(app.server()->state(), ServerController::State::Stopped);
}

// Remote mode: no embedded server; the app is a client of `inbox-central serve` running as its
// own process, and the inbox window signs in there.
void TestDesktopEndToEnd::remoteModeUsesASeparateServer()
{
    const QString binary = qEnvironmentVariable("INBOX_BIN");
    QVERIFY2(QFileInfo::exists(binary), "INBOX_BIN names the inbox-central binary (set by ctest)");
    QTemporaryDir dir;
    const quint16 port = freeTcpPort();
    QProcess server;
    QProcessEnvironment serverEnv = QProcessEnvironment::systemEnvironment();
    serverEnv.insert(u"PORT"_s, QString::number(port));
    serverEnv.insert(u"HOST"_s, u"127.0.0.1"_s);
    serverEnv.insert(u"DATA_DIR"_s, dir.filePath(u"server"_s));
    serverEnv.insert(u"ACCESS_LOG"_s, u"0"_s);
    server.setProcessEnvironment(serverEnv);
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.start(binary, {u"serve"_s});
    QVERIFY(server.waitForStarted());
    const QString serverUrl = u"http://127.0.0.1:%1"_s.arg(port);
    QVERIFY(QTest::qWaitFor([&] {
        server.readAllStandardOutput();
        return Http(serverUrl).json("GET", u"/healthz"_s).status == 200;
    }, 20000));
    Http other(serverUrl);
    QCOMPARE(other.json("POST", u"/api/v1/auth/signup"_s,
                        {{u"email"_s, kEmail}, {u"password"_s, kPassword}}).status, 201);

    const QString settingsFile = dir.filePath(u"desktop.conf"_s);
    {
        QSettings settings(settingsFile, QSettings::IniFormat);
        settings.setValue(u"mode"_s, u"remote"_s);
        settings.setValue(u"remote/url"_s, QString(serverUrl + u"/"_s));
        settings.setValue(u"server/dataDir"_s, dir.filePath(u"desktop"_s));
    }
    DesktopOptions options;
    options.settingsFile = settingsFile;
    options.environment = QProcessEnvironment::systemEnvironment();
    options.environment.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
    DesktopApp app(options);
    QSignalSpy ready(&app, &DesktopApp::ready);
    app.start();
    QVERIFY(ready.wait(20000));
    QCOMPARE(ready.first().first().toString(), serverUrl);
    QCOMPARE(app.server()->state(), ServerController::State::Stopped); // nothing embedded
    QTRY_VERIFY_WITH_TIMEOUT(app.inboxWindow() != nullptr, 20000);
    QQuickWindow *window = app.inboxWindow();
    QCOMPARE(window->property("serverUrl").toUrl(), QUrl(serverUrl));
    auto *session = window->property("session").value<QObject *>();
    QVERIFY(QMetaObject::invokeMethod(session, "signIn", Q_ARG(QString, kEmail), Q_ARG(QString, kPassword)));
    QTRY_VERIFY_WITH_TIMEOUT(session->property("signedIn").toBool(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(session->property("realtimeConnected").toBool(), 20000);

    server.terminate();
    QVERIFY(server.waitForFinished(20000));
}

QTEST_MAIN(TestDesktopEndToEnd)
#include "tst_desktope2e.moc"
