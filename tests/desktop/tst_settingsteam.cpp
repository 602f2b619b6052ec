// SPDX-License-Identifier: MIT
// The settings window's team and Twilio sections, through the v1 API of a real (embedded)
// server: an admin signs in, sees the members and inboxes, invites a new address, cannot demote
// the last admin, tests an inbox's Twilio credentials against a fake Twilio that speaks the
// account resource's wire format, and saves them.

#include "filesecrets.h"
#include "servercontroller.h"
#include "settingscontroller.h"

#include "freeport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString kAccountSid = u"AC11111111111111111111111111111111"_s;
const QString kAuthToken = u"22222222222222222222222222222222"_s;

// Twilio's GET /2010-04-01/Accounts/{sid}.json: the account for the right Basic credentials,
// Twilio's 20003 error otherwise.
class FakeTwilioAccounts : public QTcpServer
{
public:
    FakeTwilioAccounts()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket] { answer(socket); });
            }
        });
    }
    QString url() const { return u"http://127.0.0.1:%1"_s.arg(serverPort()); }

private:
    static void answer(QTcpSocket *socket)
    {
        const QByteArray request = socket->peek(socket->bytesAvailable());
        if (!request.contains("\r\n\r\n")) {
            return;
        }
        socket->readAll();
        const QByteArray path = request.split(' ').value(1);
        const QByteArray expected = "Authorization: Basic "
                + (kAccountSid + u':' + kAuthToken).toUtf8().toBase64();
        QByteArray status;
        QJsonObject body;
        if (path == "/2010-04-01/Accounts/" + kAccountSid.toUtf8() + ".json" && request.contains(expected)) {
            status = "200 OK";
            body = {{u"sid"_s, kAccountSid}, {u"friendly_name"_s, u"Front desk account"_s},
                    {u"status"_s, u"active"_s}, {u"type"_s, u"Full"_s},
                    {u"uri"_s, QString(u"/2010-04-01/Accounts/"_s + kAccountSid + u".json"_s)}};
        } else {
            status = "401 UNAUTHORIZED";
            body = {{u"code"_s, 20003}, {u"message"_s, u"Authenticate"_s},
                    {u"more_info"_s, u"https://www.twilio.com/docs/errors/20003"_s}, {u"status"_s, 401}};
        }
        const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
        socket->write("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(json.size()) + "\r\nConnection: close\r\n\r\n" + json);
        socket->disconnectFromHost();
    }
};

struct Answer
{
    int status = 0;
    QJsonObject body;
};

Answer call(QNetworkAccessManager &network, const QByteArray &verb, const QString &url,
            const QString &token, const QJsonObject &body = {})
{
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    if (!token.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    }
    std::unique_ptr<QNetworkReply> reply(network.sendCustomRequest(
            request, verb, verb == "GET" ? QByteArray() : QJsonDocument(body).toJson()));
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 15000)) {
        return {};
    }
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
            QJsonDocument::fromJson(reply->readAll()).object()};
}

} // namespace

class TestSettingsTeam : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void membersInboxesAndCredentials();
};

void TestSettingsTeam::membersInboxesAndCredentials()
{
    QTemporaryDir dir;
    DesktopSettings serverSettings;
    serverSettings.port = freeTcpPort();
    serverSettings.dataDir = dir.filePath(u"data"_s);
    QProcessEnvironment env;
    env.insert(u"ACCESS_LOG"_s, u"0"_s);
    Result<Config> config = serverSettings.serverConfig(env);
    QVERIFY(config.ok());
    ServerController server;
    QSignalSpy started(&server, &ServerController::started);
    server.start(config.value());
    QVERIFY(started.wait(20000));
    const QString base = server.address();

    QNetworkAccessManager network;
    Answer signup = call(network, "POST", base + u"/api/v1/auth/signup"_s, {},
                         {{u"email"_s, u"admin@example.com"_s}, {u"password"_s, u"admin password 1"_s}, {u"name"_s, u"Ann Admin"_s}});
    QCOMPARE(signup.status, 201);
    const QString token = signup.body.value(u"accessToken"_s).toString();
    const QString adminId = signup.body.value(u"user"_s).toObject().value(u"id"_s).toString();
    const QString teamId = signup.body.value(u"user"_s).toObject().value(u"teams"_s).toArray().first()
                                   .toObject().value(u"id"_s).toString();
    Answer inbox = call(network, "POST", base + u"/api/v1/teams/%1/inboxes"_s.arg(teamId), token,
                        {{u"name"_s, u"Front desk"_s}, {u"channel"_s, u"sms"_s}, {u"address"_s, u"+15005550006"_s}});
    QCOMPARE(inbox.status, 201);
    const QString inboxId = inbox.body.value(u"id"_s).toString();

    FakeTwilioAccounts twilio;
    QVERIFY(twilio.listen(QHostAddress::LocalHost));

    FileSecrets secrets(dir.filePath(u"secrets"_s));
    SettingsController controller(dir.filePath(u"desktop.conf"_s), &secrets, u"test"_s);
    controller.setTwilioApiBase(twilio.url());
    controller.setServerUrl(base);
    controller.signIn(u"admin@example.com"_s, u"wrong password"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!controller.teamMessage().isEmpty() && controller.teamMessage() != u"Signing in…"_s, 15000);
    QVERIFY(!controller.signedIn());

    controller.signIn(u"admin@example.com"_s, u"admin password 1"_s);
    QTRY_VERIFY_WITH_TIMEOUT(controller.signedIn(), 15000);
    QCOMPARE(controller.teamName(), u"My Team"_s);
    TeamMembersModel *members = controller.members();
    QTRY_COMPARE_WITH_TIMEOUT(members->rowCount(), 1, 10000);
    QCOMPARE(members->index(0).data(TeamMembersModel::EmailRole).toString(), u"admin@example.com"_s);
    QCOMPARE(members->index(0).data(TeamMembersModel::MemberRoleRole).toString(), u"admin"_s);
    InboxCredentialsModel *inboxes = controller.inboxes();
    QTRY_COMPARE_WITH_TIMEOUT(inboxes->rowCount(), 1, 10000);
    QCOMPARE(inboxes->index(0).data(InboxCredentialsModel::NameRole).toString(), u"Front desk"_s);
    QCOMPARE(inboxes->index(0).data(InboxCredentialsModel::CredentialsSetRole).toBool(), false);

    // A new address has no account: it is invited.
    controller.addMember(u"bob@example.com"_s, u"editor"_s);
    QTRY_COMPARE_WITH_TIMEOUT(controller.teamMessage(), u"Invitation sent."_s, 10000);
    Answer invitations = call(network, "GET", base + u"/api/v1/teams/%1/invitations"_s.arg(teamId), token);
    QCOMPARE(invitations.status, 200);
    const QJsonObject invited = invitations.body.value(u"data"_s).toArray().first().toObject();
    QCOMPARE(invited.value(u"email"_s).toString(), u"bob@example.com"_s);
    QCOMPARE(invited.value(u"role"_s).toString(), u"editor"_s);

    // The last admin stays admin: the server's refusal is shown.
    controller.setMemberRole(adminId, u"viewer"_s);
    QTRY_VERIFY_WITH_TIMEOUT(controller.teamMessage() != u"Invitation sent."_s, 10000);
    QVERIFY2(controller.teamMessage().contains(u"admin"_s), qPrintable(controller.teamMessage()));
    QTRY_COMPARE_WITH_TIMEOUT(members->index(0).data(TeamMembersModel::MemberRoleRole).toString(), u"admin"_s, 10000);

    // Twilio credentials: a wrong token is refused by (fake) Twilio, the right one accepted.
    controller.testInboxCredentials(0, kAccountSid, u"33333333333333333333333333333333"_s);
    QTRY_VERIFY_WITH_TIMEOUT(inboxes->index(0).data(InboxCredentialsModel::TestMessageRole).toString().contains(u"refused"_s), 10000);
    QVERIFY(!inboxes->index(0).data(InboxCredentialsModel::TestOkRole).toBool());
    controller.testInboxCredentials(0, kAccountSid, kAuthToken);
    QTRY_VERIFY_WITH_TIMEOUT(inboxes->index(0).data(InboxCredentialsModel::TestOkRole).toBool(), 10000);
    QVERIFY(inboxes->index(0).data(InboxCredentialsModel::TestMessageRole).toString().contains(u"Front desk account"_s));

    controller.saveInboxCredentials(0, kAccountSid, kAuthToken);
    QTRY_VERIFY_WITH_TIMEOUT(inboxes->index(0).data(InboxCredentialsModel::CredentialsSetRole).toBool(), 10000);
    Answer saved = call(network, "GET", base + u"/api/v1/teams/%1/inboxes/%2"_s.arg(teamId, inboxId), token);
    QCOMPARE(saved.body.value(u"accountSid"_s).toString(), kAccountSid);
    QCOMPARE(saved.body.value(u"credentialsSet"_s).toBool(), true);
    QVERIFY(!QJsonDocument(saved.body).toJson().contains(kAuthToken.toUtf8())); // never handed back
}

QTEST_GUILESS_MAIN(TestSettingsTeam)
#include "tst_settingsteam.moc"
