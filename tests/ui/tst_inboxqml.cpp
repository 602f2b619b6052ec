// SPDX-License-Identifier: MIT
// Qt Quick Test of the QML inbox (tests/ui/qml/tst_*.qml) against a real inbox-central: this
// setup starts the server, seeds an account with a conversation, registers the module, and gives
// the QML tests a `testServer` object to read the fixture and to push messages as the server
// would (another client's send, an inbound SMS through a signed webhook).

#include "inboxui.h"
#include "uitestserver.h"

#include <QJsonObject>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickWindow>
#include <QtQuickTest>

using namespace Qt::StringLiterals;

class TestBackend : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QUrl serverUrl READ serverUrl CONSTANT)
    Q_PROPERTY(QString email READ email CONSTANT)
    Q_PROPERTY(QString password READ password CONSTANT)
    Q_PROPERTY(QString conversationId READ conversationId CONSTANT)
    Q_PROPERTY(QString error READ error CONSTANT)
    // Where to save a screenshot of the inbox for review (INBOX_UI_SCREENSHOT), or empty.
    Q_PROPERTY(QString screenshotPath READ screenshotPath CONSTANT)

public:
    bool setUp()
    {
        if (!m_server.start({}, &m_error)) {
            return false;
        }
        m_account = m_server.signUp(u"qml"_s);
        m_inbox = u"+14155558000"_s;
        m_server.createSmsInbox(m_account, m_inbox);
        if (m_server.inboundSms(u"+14155558001"_s, m_inbox, u"Hello from Grace"_s) != 200) {
            m_error = u"inbound webhook refused"_s;
            return false;
        }
        const HttpAnswer list
                = m_server.call("GET", u"/api/v1/teams/"_s + m_account.teamId + u"/conversations"_s,
                                {}, m_account.accessToken);
        m_conversationId = list.object()
                                   .value(u"data"_s)
                                   .toArray()
                                   .first()
                                   .toObject()
                                   .value(u"id"_s)
                                   .toString();
        const QString contactId = list.object()
                                          .value(u"data"_s)
                                          .toArray()
                                          .first()
                                          .toObject()
                                          .value(u"contact"_s)
                                          .toObject()
                                          .value(u"id"_s)
                                          .toString();
        m_server.call("PATCH", u"/api/v1/teams/"_s + m_account.teamId + u"/contacts/"_s + contactId,
                      QJsonObject {{u"name"_s, u"Grace Hopper"_s}}, m_account.accessToken);
        return !m_conversationId.isEmpty();
    }
    void tearDown() { m_server.stop(); }

    QUrl serverUrl() const { return m_server.url(); }
    QString email() const { return m_account.email; }
    QString password() const { return m_account.password; }
    QString conversationId() const { return m_conversationId; }
    QString error() const { return m_error; }
    QString screenshotPath() const { return qEnvironmentVariable("INBOX_UI_SCREENSHOT"); }

    // Saves what `window` shows (a QQuickWindow) as a PNG at `path`.
    Q_INVOKABLE bool saveScreenshot(QObject *window, const QString &path)
    {
        auto *quickWindow = qobject_cast<QQuickWindow *>(window);
        return quickWindow && quickWindow->grabWindow().save(path);
    }

    // An inbound SMS from the fixture's contact (signed Twilio webhook); the HTTP status.
    Q_INVOKABLE int inboundSms(const QString &body)
    {
        return m_server.inboundSms(u"+14155558001"_s, m_inbox, body);
    }

private:
    UiTestServer m_server;
    TestAccount m_account;
    QString m_inbox;
    QString m_conversationId;
    QString m_error;
};

class Setup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void applicationAvailable()
    {
        if (!m_backend.setUp()) {
            qWarning("test server setup failed: %s", qPrintable(m_backend.error()));
        }
    }
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        InboxUi::registerTypes(*engine);
        engine->rootContext()->setContextProperty(u"testServer"_s, &m_backend);
    }
    void cleanupTestCase() { m_backend.tearDown(); }

private:
    TestBackend m_backend;
};

QUICK_TEST_MAIN_WITH_SETUP(inboxqml, Setup)
#include "tst_inboxqml.moc"
