// SPDX-License-Identifier: MIT
#include "uitestserver.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

quint16 uiFreePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) {
        return 0;
    }
    return probe.serverPort();
}

UiTestServer::UiTestServer() = default;

QNetworkAccessManager *UiTestServer::network()
{
    // Made on first use: a test's setup object may be built before the application object.
    if (!m_network) {
        m_network = std::make_unique<QNetworkAccessManager>();
    }
    return m_network.get();
}

UiTestServer::~UiTestServer()
{
    stop();
}

bool UiTestServer::start(const QMap<QString, QString> &env, QString *error)
{
    const QString binary = qEnvironmentVariable("INBOX_BIN");
    if (binary.isEmpty()) {
        if (error) {
            *error = u"INBOX_BIN is not set (run through ctest)"_s;
        }
        return false;
    }
    m_dir = std::make_unique<QTemporaryDir>();
    const quint16 port = uiFreePort();
    m_url = QUrl(u"http://127.0.0.1:%1"_s.arg(port));

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"DATABASE_URL"_s, u"sqlite://"_s + m_dir->filePath(u"inbox.db"_s));
    environment.insert(u"DATA_DIR"_s, m_dir->path());
    environment.insert(u"JWT_SECRET"_s,
                       QString::number(QRandomGenerator::global()->generate64(), 16).repeated(4));
    environment.insert(u"BCRYPT_COST"_s, u"4"_s);
    environment.insert(u"SIGNUP_MODE"_s, u"open"_s);
    environment.insert(u"PUBLIC_URL"_s, m_url.toString());
    // Nothing must reach the real Twilio: deliveries fail fast against a closed port.
    environment.insert(u"TWILIO_API_BASE"_s, u"http://127.0.0.1:9"_s);
    for (auto it = env.cbegin(); it != env.cend(); ++it) {
        environment.insert(it.key(), it.value());
    }
    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(environment);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(binary,
                     {u"serve"_s, u"--port"_s, QString::number(port), u"--host"_s, u"127.0.0.1"_s});
    if (!m_process->waitForStarted(5000)) {
        if (error) {
            *error = u"cannot run "_s + binary + u": "_s + m_process->errorString();
        }
        return false;
    }
    const QDeadlineTimer deadline(20'000);
    while (!deadline.hasExpired()) {
        if (m_process->state() != QProcess::Running) {
            break;
        }
        if (call("GET", u"/healthz"_s).status == 200) {
            return true;
        }
        QThread::msleep(50);
    }
    if (error) {
        *error = u"inbox-central did not become healthy: "_s + serverOutput();
    }
    return false;
}

void UiTestServer::stop()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(10'000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    m_process.reset();
}

QString UiTestServer::serverOutput()
{
    if (m_process) {
        m_output += m_process->readAll();
    }
    return QString::fromUtf8(m_output.right(8000));
}

namespace {

HttpAnswer wait(QNetworkReply *reply)
{
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(15'000, &loop, &QEventLoop::quit);
    if (!reply->isFinished()) {
        loop.exec();
    }
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.raw = reply->readAll();
    const QJsonDocument doc = QJsonDocument::fromJson(answer.raw);
    answer.json = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    reply->deleteLater();
    return answer;
}

} // namespace

HttpAnswer UiTestServer::call(const QByteArray &verb, const QString &path, const QJsonValue &body,
                              const QString &token)
{
    QUrl url = m_url;
    const qsizetype q = path.indexOf(u'?');
    url.setPath(q < 0 ? path : path.left(q));
    if (q >= 0) {
        url.setQuery(path.mid(q + 1));
    }
    QNetworkRequest request(url);
    request.setTransferTimeout(15'000);
    if (!token.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    }
    QByteArray payload;
    if (body.isObject() || body.isArray()) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        payload = body.isObject() ? QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact)
                                  : QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact);
    }
    return wait(network()->sendCustomRequest(request, verb, payload));
}

HttpAnswer UiTestServer::postForm(const QString &path, const QMap<QString, QString> &params,
                                  const QString &twilioAuthToken)
{
    // Twilio's signature: HMAC-SHA1 over the full URL followed by each parameter name and value,
    // sorted by name; base64.
    const QString fullUrl = m_url.toString() + path;
    QByteArray signed_ = fullUrl.toUtf8();
    QUrlQuery form;
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        signed_ += it.key().toUtf8() + it.value().toUtf8();
        form.addQueryItem(it.key(), QString::fromUtf8(QUrl::toPercentEncoding(it.value())));
    }
    const QByteArray signature = QMessageAuthenticationCode::hash(signed_, twilioAuthToken.toUtf8(),
                                                                  QCryptographicHash::Sha1)
                                         .toBase64();
    QNetworkRequest request {QUrl(fullUrl)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/x-www-form-urlencoded"_s);
    request.setRawHeader("X-Twilio-Signature", signature);
    return wait(network()->post(request, form.query(QUrl::FullyEncoded).toUtf8()));
}

TestAccount UiTestServer::signUp(const QString &prefix)
{
    TestAccount account;
    account.email = u"%1-%2@example.test"_s.arg(prefix).arg(QRandomGenerator::global()->generate(),
                                                            0, 16);
    account.password = u"correct horse battery"_s;
    const HttpAnswer answer = call("POST", u"/api/v1/auth/signup"_s,
                                   QJsonObject {{u"email"_s, account.email},
                                                {u"password"_s, account.password},
                                                {u"name"_s, prefix}});
    if (answer.status != 201) {
        qWarning("signup failed: %d %s", answer.status, answer.raw.constData());
        return account;
    }
    const QJsonObject session = answer.object();
    account.accessToken = session.value(u"accessToken"_s).toString();
    account.refreshToken = session.value(u"refreshToken"_s).toString();
    const QJsonObject user = session.value(u"user"_s).toObject();
    account.userId = user.value(u"id"_s).toString();
    account.teamId = user.value(u"teams"_s).toArray().first().toObject().value(u"id"_s).toString();
    return account;
}

QString UiTestServer::createContact(const TestAccount &a, const QString &name, const QString &phone)
{
    const HttpAnswer answer
            = call("POST", u"/api/v1/teams/"_s + a.teamId + u"/contacts"_s,
                   QJsonObject {{u"name"_s, name}, {u"phone"_s, phone}}, a.accessToken);
    return answer.object().value(u"id"_s).toString();
}

QString UiTestServer::openConversation(const TestAccount &a, const QString &contactId)
{
    const HttpAnswer answer = call("POST", u"/api/v1/teams/"_s + a.teamId + u"/conversations"_s,
                                   QJsonObject {{u"contactId"_s, contactId}}, a.accessToken);
    return answer.object().value(u"id"_s).toString();
}

QJsonObject UiTestServer::sendMessage(const TestAccount &a, const QString &conversationId,
                                      const QString &body)
{
    return call("POST",
                u"/api/v1/teams/"_s + a.teamId + u"/conversations/"_s + conversationId
                        + u"/messages"_s,
                QJsonObject {{u"body"_s, body}}, a.accessToken)
            .object();
}

QString UiTestServer::createSmsInbox(const TestAccount &a, const QString &address)
{
    const HttpAnswer answer = call("POST", u"/api/v1/teams/"_s + a.teamId + u"/inboxes"_s,
                                   QJsonObject {{u"name"_s, u"Main line"_s},
                                                {u"channel"_s, u"sms"_s},
                                                {u"address"_s, address},
                                                {u"accountSid"_s, QString::fromLatin1(AccountSid)},
                                                {u"authToken"_s, QString::fromLatin1(AuthToken)}},
                                   a.accessToken);
    if (answer.status != 201) {
        qWarning("inbox creation failed: %d %s", answer.status, answer.raw.constData());
    }
    return answer.object().value(u"id"_s).toString();
}

int UiTestServer::inboundSms(const QString &from, const QString &to, const QString &body,
                             const QString &mediaUrl, const QString &mediaType)
{
    const QString sid
            = u"SM"_s
            + QString::fromLatin1(
                      QCryptographicHash::hash(
                              QByteArray::number(QRandomGenerator::global()->generate64()),
                              QCryptographicHash::Md5)
                              .toHex());
    QMap<QString, QString> params {
            {u"MessageSid"_s, sid}, {u"AccountSid"_s, QString::fromLatin1(AccountSid)},
            {u"From"_s, from},      {u"To"_s, to},
            {u"Body"_s, body},      {u"NumMedia"_s, mediaUrl.isEmpty() ? u"0"_s : u"1"_s}};
    if (!mediaUrl.isEmpty()) {
        params.insert(u"MediaUrl0"_s, mediaUrl);
        params.insert(u"MediaContentType0"_s, mediaType);
    }
    return postForm(u"/api/v1/webhooks/twilio/messages"_s, params, QString::fromLatin1(AuthToken))
            .status;
}
