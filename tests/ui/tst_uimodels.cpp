// SPDX-License-Identifier: MIT
// The desktop client's session and list models against a running inbox-central: sign-in
// (password, handed-over tokens, the Google loopback listener), paging and ordering, filters,
// live updates from the real-time channel (messages sent by another client, signed Twilio
// webhooks, status changes, notes, contact edits), sending now and later, search, and the
// transparent token refresh. Each test works in a team of its own.

#include "apiclient.h"
#include "contactdetails.h"
#include "contactmodel.h"
#include "conversationlistmodel.h"
#include "loopbacklistener.h"
#include "messagelistmodel.h"
#include "notesmodel.h"
#include "searchmodel.h"
#include "session.h"
#include "socketioclient.h"
#include "uitestserver.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QRegularExpression>
#include <QUrlQuery>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 8000;
}

class TestUiModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void sessionSignsInWithPassword();
    void sessionAcceptsHandedOverTokens();
    void googleLoopbackHandsTokensToTheSession();
    void conversationsPageNewestActivityFirst();
    void conversationsFollowFiltersLive();
    void conversationMovesUpOnNewMessage();
    void inboundWebhookRaisesUnreadAndOpeningReadsIt();
    void messagesPageNewestFirst();
    void messagesUpdateLiveWithStatus();
    void messagesSendNowAndLater();
    void voicemailIsACallEntry();
    void notesAreLive();
    void contactDetailsEditAndErrors();
    void contactModelCreatesAndFilters();
    void searchFindsMessagesAndContacts();
    void expiredTokensAreRefreshedForApiAndSocket();

private:
    // A signed-in session of a new account, with its socket connected.
    std::unique_ptr<Session> signedIn(TestAccount *account, UiTestServer *server = nullptr);

    UiTestServer m_server;
};

void TestUiModels::initTestCase()
{
    QString error;
    QVERIFY2(m_server.start({}, &error), qPrintable(error));
}

void TestUiModels::cleanupTestCase()
{
    m_server.stop();
}

std::unique_ptr<Session> TestUiModels::signedIn(TestAccount *account, UiTestServer *server)
{
    UiTestServer &srv = server ? *server : m_server;
    *account = srv.signUp(u"agent"_s);
    auto session = std::make_unique<Session>();
    session->setServerUrl(srv.url());
    session->signIn(account->email, account->password);
    if (!QTest::qWaitFor([&] { return session->isSignedIn() && session->isRealtimeConnected(); },
                         Timeout)) {
        qWarning("session did not sign in: %s", qPrintable(session->errorString()));
    }
    return session;
}

void TestUiModels::sessionSignsInWithPassword()
{
    const TestAccount account = m_server.signUp(u"pw"_s);
    Session session;
    session.setServerUrl(m_server.url());

    session.signIn(account.email, u"wrong password"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!session.isBusy() && !session.errorString().isEmpty(), Timeout);
    QVERIFY(!session.isSignedIn());

    QSignalSpy signedIn(&session, &Session::signedInChanged);
    session.signIn(account.email, account.password);
    QVERIFY(signedIn.wait(Timeout));
    QVERIFY(session.isSignedIn());
    QVERIFY(session.errorString().isEmpty());
    QCOMPARE(session.userId(), account.userId);
    QCOMPARE(session.teamId(), account.teamId);
    QCOMPARE(session.role(), u"admin"_s);
    QVERIFY(!session.refreshToken().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(session.isRealtimeConnected(), Timeout);

    session.signOut();
    QVERIFY(!session.isSignedIn());
    QVERIFY(!session.isRealtimeConnected());
    QVERIFY(session.refreshToken().isEmpty());
}

void TestUiModels::sessionAcceptsHandedOverTokens()
{
    const TestAccount account = m_server.signUp(u"tokens"_s);
    Session session;
    session.setServerUrl(m_server.url());
    session.signInWithTokens(u"garbage"_s, QString());
    QTRY_VERIFY_WITH_TIMEOUT(!session.isBusy(), Timeout);
    QVERIFY(!session.isSignedIn());
    QVERIFY(!session.errorString().isEmpty());

    session.signInWithTokens(account.accessToken, account.refreshToken);
    QTRY_VERIFY_WITH_TIMEOUT(session.isSignedIn(), Timeout);
    QCOMPARE(session.userId(), account.userId);
    QTRY_VERIFY_WITH_TIMEOUT(session.isRealtimeConnected(), Timeout);
}

void TestUiModels::googleLoopbackHandsTokensToTheSession()
{
    const TestAccount account = m_server.signUp(u"google"_s);
    Session session;
    session.setServerUrl(m_server.url());
    const QUrl start = session.startGoogleSignIn();
    QCOMPARE(start.path(), u"/api/v1/auth/google/start"_s);
    const QUrl redirect(QUrlQuery(start).queryItemValue(u"redirect"_s, QUrl::FullyDecoded));
    QCOMPARE(redirect.host(), u"127.0.0.1"_s);
    QVERIFY(redirect.port() > 0);

    // What the browser does at the end of the flow. First with the tokens in the fragment: the
    // fragment never reaches the listener, which answers with a page that re-asks with a query.
    QNetworkAccessManager browser;
    std::unique_ptr<QNetworkReply> page(browser.get(QNetworkRequest(redirect)));
    QTRY_VERIFY_WITH_TIMEOUT(page->isFinished(), Timeout);
    QVERIFY(page->readAll().contains("location.hash"));
    QVERIFY(!session.isSignedIn());

    QUrl withTokens = redirect;
    QUrlQuery query;
    query.addQueryItem(u"token"_s, account.accessToken);
    query.addQueryItem(u"refreshToken"_s, account.refreshToken);
    withTokens.setQuery(query);
    std::unique_ptr<QNetworkReply> done(browser.get(QNetworkRequest(withTokens)));
    QTRY_VERIFY_WITH_TIMEOUT(done->isFinished(), Timeout);
    QCOMPARE(done->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QTRY_VERIFY_WITH_TIMEOUT(session.isSignedIn(), Timeout);
    QCOMPARE(session.userId(), account.userId);

    // One-shot: the listener is closed now.
    std::unique_ptr<QNetworkReply> again(browser.get(QNetworkRequest(withTokens)));
    QTRY_VERIFY_WITH_TIMEOUT(again->isFinished(), Timeout);
    QCOMPARE(again->error(), QNetworkReply::ConnectionRefusedError);
}

void TestUiModels::conversationsPageNewestActivityFirst()
{
    TestAccount a;
    auto session = signedIn(&a);
    QVERIFY(session->isSignedIn());
    QStringList conversations;
    for (int i = 0; i < 5; ++i) {
        const QString contact
                = m_server.createContact(a, u"Contact %1"_s.arg(i), u"+1415555020%1"_s.arg(i));
        conversations.append(m_server.openConversation(a, contact));
        m_server.sendMessage(a, conversations.last(), u"message %1"_s.arg(i));
        QTest::qWait(5); // distinct activity times
    }

    ConversationListModel model;
    model.setPageSize(2);
    QSignalSpy pages(&model, &JsonListModel::pageLoaded);
    model.setSession(session.get());
    QVERIFY(pages.wait(Timeout));
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(model.hasMore());
    QVERIFY(model.canFetchMore({}));
    while (model.hasMore()) {
        model.fetchMore({});
        QVERIFY(pages.wait(Timeout));
    }
    QCOMPARE(model.rowCount(), 5);
    for (int row = 0; row < 5; ++row) {
        const QModelIndex index = model.index(row);
        QCOMPARE(model.data(index, ConversationListModel::IdRole).toString(),
                 conversations.at(4 - row));
        QCOMPARE(model.data(index, ConversationListModel::PreviewRole).toString(),
                 u"message %1"_s.arg(4 - row));
        QCOMPARE(model.data(index, ConversationListModel::ContactNameRole).toString(),
                 u"Contact %1"_s.arg(4 - row));
    }
    QVERIFY(model.roleNames().values().contains("unreadCount"));
}

void TestUiModels::conversationsFollowFiltersLive()
{
    TestAccount a;
    auto session = signedIn(&a);
    const QString contact = m_server.createContact(a, u"Filtered"_s, u"+14155550301"_s);
    const QString conversation = m_server.openConversation(a, contact);
    const QString path = u"/api/v1/teams/"_s + a.teamId + u"/conversations/"_s + conversation;

    ConversationListModel resolved;
    resolved.setStatus(u"resolved"_s);
    QSignalSpy pages(&resolved, &JsonListModel::pageLoaded);
    resolved.setSession(session.get());
    QVERIFY(pages.wait(Timeout));
    QCOMPARE(resolved.rowCount(), 0);

    ConversationListModel unread;
    unread.setUnreadOnly(true);
    QSignalSpy unreadPages(&unread, &JsonListModel::pageLoaded);
    unread.setSession(session.get());
    QVERIFY(unreadPages.wait(Timeout));
    QCOMPARE(unread.rowCount(), 0);

    // Another client resolves it: the resolved list gains it live.
    QCOMPARE(m_server.call("PATCH", path, QJsonObject {{u"status"_s, u"resolved"_s}}, a.accessToken)
                     .status,
             200);
    QTRY_COMPARE_WITH_TIMEOUT(resolved.rowCount(), 1, Timeout);
    QCOMPARE(resolved.data(resolved.index(0), ConversationListModel::StatusRole).toString(),
             u"resolved"_s);

    // Reopened: it leaves the resolved list.
    m_server.call("PATCH", path, QJsonObject {{u"status"_s, u"open"_s}}, a.accessToken);
    QTRY_COMPARE_WITH_TIMEOUT(resolved.rowCount(), 0, Timeout);

    // Marked unread through the model: it joins the unread list with a count.
    resolved.markUnread(conversation);
    QTRY_COMPARE_WITH_TIMEOUT(unread.rowCount(), 1, Timeout);
    QVERIFY(unread.data(unread.index(0), ConversationListModel::UnreadCountRole).toInt() >= 1);
    QCOMPARE(unread.unreadConversations(), 1);
    unread.markRead(conversation);
    QTRY_COMPARE_WITH_TIMEOUT(unread.rowCount(), 0, Timeout);

    // The server's filter answers the same as the live filtering.
    QVERIFY(resolved.accepts(QJsonObject {{u"teamId"_s, a.teamId}, {u"status"_s, u"resolved"_s}}));
    QVERIFY(!resolved.accepts(QJsonObject {{u"teamId"_s, a.teamId}, {u"status"_s, u"open"_s}}));
}

void TestUiModels::conversationMovesUpOnNewMessage()
{
    TestAccount a;
    auto session = signedIn(&a);
    QStringList conversations;
    for (int i = 0; i < 3; ++i) {
        const QString contact
                = m_server.createContact(a, u"Mover %1"_s.arg(i), u"+1415555040%1"_s.arg(i));
        conversations.append(m_server.openConversation(a, contact));
        m_server.sendMessage(a, conversations.last(), u"first %1"_s.arg(i));
        QTest::qWait(5);
    }
    ConversationListModel model;
    QSignalSpy pages(&model, &JsonListModel::pageLoaded);
    model.setSession(session.get());
    QVERIFY(pages.wait(Timeout));
    QCOMPARE(model.data(model.index(2), ConversationListModel::IdRole).toString(),
             conversations.first());
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);

    m_server.sendMessage(a, conversations.first(), u"bump!"_s);
    QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(0), ConversationListModel::IdRole).toString(),
                              conversations.first(), Timeout);
    QCOMPARE(model.data(model.index(0), ConversationListModel::PreviewRole).toString(), u"bump!"_s);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(moved.size(), 1);
}

void TestUiModels::inboundWebhookRaisesUnreadAndOpeningReadsIt()
{
    TestAccount a;
    auto session = signedIn(&a);
    const QString inboxAddress = u"+14155559000"_s;
    QVERIFY(!m_server.createSmsInbox(a, inboxAddress).isEmpty());

    ConversationListModel list;
    QSignalSpy pages(&list, &JsonListModel::pageLoaded);
    list.setSession(session.get());
    QVERIFY(pages.wait(Timeout));
    QCOMPARE(list.rowCount(), 0);

    // A customer texts in: a new conversation appears with one unread message.
    QCOMPARE(m_server.inboundSms(u"+14155550999"_s, inboxAddress, u"Hi there"_s), 200);
    QTRY_COMPARE_WITH_TIMEOUT(list.rowCount(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(
            list.data(list.index(0), ConversationListModel::UnreadCountRole).toInt(), 1, Timeout);
    QCOMPARE(list.data(list.index(0), ConversationListModel::PreviewRole).toString(),
             u"Hi there"_s);
    QCOMPARE(list.data(list.index(0), ConversationListModel::ContactNameRole).toString(),
             u"+14155550999"_s);

    // A picture follows.
    const QString mediaUrl
            = u"http://127.0.0.1:9/2010-04-01/Accounts/%1/Messages/MM%2/Media/ME%2"_s.arg(
                    QString::fromLatin1(UiTestServer::AccountSid),
                    u"0123456789abcdef0123456789abcdef"_s);
    QCOMPARE(m_server.inboundSms(u"+14155550999"_s, inboxAddress, u"see photo"_s, mediaUrl,
                                 u"image/jpeg"_s),
             200);
    QTRY_COMPARE_WITH_TIMEOUT(
            list.data(list.index(0), ConversationListModel::UnreadCountRole).toInt(), 2, Timeout);
    QCOMPARE(list.unreadMessages(), 2);

    // Opening the conversation shows both (newest first) and marks it read everywhere.
    const QString conversationId
            = list.data(list.index(0), ConversationListModel::IdRole).toString();
    MessageListModel messages;
    messages.setSession(session.get());
    QSignalSpy messagePages(&messages, &JsonListModel::pageLoaded);
    messages.setConversationId(conversationId);
    QVERIFY(messagePages.wait(Timeout));
    QCOMPARE(messages.rowCount(), 2);
    const QModelIndex newest = messages.index(0);
    QCOMPARE(messages.data(newest, MessageListModel::BodyRole).toString(), u"see photo"_s);
    QCOMPARE(messages.data(newest, MessageListModel::DirectionRole).toString(), u"inbound"_s);
    QCOMPARE(messages.data(newest, MessageListModel::DeliveryStateRole).toInt(),
             int(MessageListModel::NoTicks));
    const QVariantList media = messages.data(newest, MessageListModel::MediaRole).toList();
    QCOMPARE(media.size(), 1);
    QCOMPARE(media.first().toMap().value(u"contentType"_s).toString(), u"image/jpeg"_s);
    QVERIFY(media.first().toMap().value(u"isImage"_s).toBool());
    QTRY_COMPARE_WITH_TIMEOUT(
            list.data(list.index(0), ConversationListModel::UnreadCountRole).toInt(), 0, Timeout);

    // While it is open, a new inbound message shows at once and is read at once.
    QCOMPARE(m_server.inboundSms(u"+14155550999"_s, inboxAddress, u"still there?"_s), 200);
    QTRY_COMPARE_WITH_TIMEOUT(
            messages.data(messages.index(0), MessageListModel::BodyRole).toString(),
            u"still there?"_s, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(
            list.data(list.index(0), ConversationListModel::UnreadCountRole).toInt(), 0, Timeout);
    QCOMPARE(list.data(list.index(0), ConversationListModel::PreviewRole).toString(),
             u"still there?"_s);
}

void TestUiModels::messagesPageNewestFirst()
{
    TestAccount a;
    auto session = signedIn(&a);
    const QString contact = m_server.createContact(a, u"Pager"_s, u"+14155550501"_s);
    const QString conversation = m_server.openConversation(a, contact);
    for (int i = 0; i < 7; ++i) {
        m_server.sendMessage(a, conversation, u"m%1"_s.arg(i));
        QTest::qWait(3); // distinct creation times (ids within one millisecond are random)
    }
    MessageListModel model;
    model.setPageSize(3);
    model.setSession(session.get());
    QSignalSpy pages(&model, &JsonListModel::pageLoaded);
    model.setConversationId(conversation);
    QVERIFY(pages.wait(Timeout));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.data(model.index(0), MessageListModel::BodyRole).toString(), u"m6"_s);
    QCOMPARE(model.data(model.index(2), MessageListModel::BodyRole).toString(), u"m4"_s);
    model.loadMore();
    QVERIFY(pages.wait(Timeout));
    model.loadMore();
    QVERIFY(pages.wait(Timeout));
    QCOMPARE(model.rowCount(), 7);
    QVERIFY(!model.hasMore());
    QCOMPARE(model.data(model.index(6), MessageListModel::BodyRole).toString(), u"m0"_s);
    QCOMPARE(model.conversation().value(u"id"_s).toString(), conversation);
}

void TestUiModels::messagesUpdateLiveWithStatus()
{
    TestAccount a;
    auto session = signedIn(&a);
    const QString contact = m_server.createContact(a, u"Live"_s, u"+14155550601"_s);
    const QString conversation = m_server.openConversation(a, contact);
    MessageListModel model;
    model.setSession(session.get());
    QSignalSpy pages(&model, &JsonListModel::pageLoaded);
    model.setConversationId(conversation);
    QVERIFY(pages.wait(Timeout));
    QCOMPARE(model.rowCount(), 0);

    // Sent by another client: it appears, then fails (the team has no Twilio inbox), live.
    const QJsonObject sent = m_server.sendMessage(a, conversation, u"pushed by the server"_s);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, Timeout);
    QCOMPARE(model.data(model.index(0), MessageListModel::IdRole).toString(),
             sent.value(u"id"_s).toString());
    QVERIFY(model.data(model.index(0), MessageListModel::OutboundRole).toBool());
    QTRY_COMPARE_WITH_TIMEOUT(
            model.data(model.index(0), MessageListModel::DeliveryStateRole).toInt(),
            int(MessageListModel::Failed), Timeout);
    QCOMPARE(model.data(model.index(0), MessageListModel::ErrorCodeRole).toString(),
             u"no-credentials"_s);
    QCOMPARE(model.rowCount(), 1);

    // Another conversation's message does not show here.
    const QString other = m_server.openConversation(
            a, m_server.createContact(a, u"Other"_s, u"+14155550602"_s));
    m_server.sendMessage(a, other, u"elsewhere"_s);
    QTest::qWait(300);
    QCOMPARE(model.rowCount(), 1);
}

void TestUiModels::messagesSendNowAndLater()
{
    TestAccount a;
    auto session = signedIn(&a);
    const QString conversation = m_server.openConversation(
            a, m_server.createContact(a, u"Sender"_s, u"+14155550701"_s));
    MessageListModel model;
    model.setSession(session.get());
    QSignalSpy pages(&model, &JsonListModel::pageLoaded);
    model.setConversationId(conversation);
    QVERIFY(pages.wait(Timeout));

    QSignalSpy sent(&model, &MessageListModel::messageSent);
    model.send(u"now"_s);
    QVERIFY(sent.wait(Timeout));
    QTest::qWait(200); // the message.new event for it must not add a second row
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.data(model.index(0), MessageListModel::BodyRole).toString(), u"now"_s);

    model.sendLater(u"later"_s, QDateTime::currentDateTimeUtc().addSecs(3600));
    QVERIFY(sent.wait(Timeout));
    const QString scheduledId = sent.last().at(0).toString();
    const int row = model.indexOf(scheduledId);
    QVERIFY(row >= 0);
    QCOMPARE(model.data(model.index(row), MessageListModel::DeliveryStateRole).toInt(),
             int(MessageListModel::Scheduled));
    QVERIFY(model.data(model.index(row), MessageListModel::ScheduledAtRole).toDateTime()
            > QDateTime::currentDateTimeUtc().addSecs(3500));

    model.cancelScheduled(scheduledId);
    QTRY_COMPARE_WITH_TIMEOUT(
            model.data(model.index(model.indexOf(scheduledId)), MessageListModel::DeliveryStateRole)
                    .toInt(),
            int(MessageListModel::Canceled), Timeout);

    // A refused send surfaces the API's problem.
    QSignalSpy failed(&model, &MessageListModel::sendFailed);
    model.sendLater(u"in the past"_s, QDateTime::currentDateTimeUtc().addSecs(-60));
    QVERIFY(failed.wait(Timeout));
    QVERIFY(failed.at(0).at(0).toString().contains(u"sendAt"_s));
}

void TestUiModels::voicemailIsACallEntry()
{
    TestAccount a;
    auto session = signedIn(&a);
    const QString line = u"+14155559100"_s;
    const HttpAnswer inbox = m_server.call(
            "POST", u"/api/v1/teams/"_s + a.teamId + u"/inboxes"_s,
            QJsonObject {{u"name"_s, u"Phone"_s},
                         {u"channel"_s, u"voice"_s},
                         {u"address"_s, line},
                         {u"accountSid"_s, QString::fromLatin1(UiTestServer::AccountSid)},
                         {u"authToken"_s, QString::fromLatin1(UiTestServer::AuthToken)}},
            a.accessToken);
    QCOMPARE(inbox.status, 201);
    ConversationListModel list;
    QSignalSpy pages(&list, &JsonListModel::pageLoaded);
    list.setSession(session.get());
    QVERIFY(pages.wait(Timeout));

    // A call comes in; no agents, so Twilio is told to record a voicemail; then the recording.
    const QMap<QString, QString> call {
            {u"CallSid"_s, u"CA0123456789abcdef0123456789abcdef"_s},
            {u"AccountSid"_s, QString::fromLatin1(UiTestServer::AccountSid)},
            {u"From"_s, u"+14155550444"_s},
            {u"To"_s, line},
            {u"CallStatus"_s, u"ringing"_s},
            {u"Direction"_s, u"inbound"_s}};
    const HttpAnswer twiml = m_server.postForm(u"/api/v1/webhooks/twilio/voice"_s, call,
                                               QString::fromLatin1(UiTestServer::AuthToken));
    QCOMPARE(twiml.status, 200);
    const QRegularExpressionMatch action
            = QRegularExpression(
                      u"action=\"[^\"]*(/api/v1/webhooks/twilio/voice/recording\\?callId=[^\"&]+)\""_s)
                      .match(QString::fromUtf8(twiml.raw));
    QVERIFY2(action.hasMatch(), twiml.raw.constData());
    QMap<QString, QString> recording = call;
    recording.insert(u"CallStatus"_s, u"in-progress"_s);
    recording.insert(
            u"RecordingUrl"_s,
            u"https://api.twilio.com/2010-04-01/Accounts/%1/Recordings/RE0123456789abcdef0123456789abcdef"_s
                    .arg(QString::fromLatin1(UiTestServer::AccountSid)));
    recording.insert(u"RecordingDuration"_s, u"42"_s);
    QCOMPARE(m_server.postForm(action.captured(1), recording,
                               QString::fromLatin1(UiTestServer::AuthToken))
                     .status,
             200);

    QTRY_COMPARE_WITH_TIMEOUT(list.rowCount(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(
            list.data(list.index(0), ConversationListModel::PreviewRole).toString(),
            u"Voicemail (0:42)"_s, Timeout);
    MessageListModel messages;
    messages.setSession(session.get());
    QSignalSpy messagePages(&messages, &JsonListModel::pageLoaded);
    messages.setConversationId(list.data(list.index(0), ConversationListModel::IdRole).toString());
    QVERIFY(messagePages.wait(Timeout));
    QCOMPARE(messages.rowCount(), 1);
    const QModelIndex entry = messages.index(0);
    QCOMPARE(messages.data(entry, MessageListModel::KindRole).toString(), u"voicemail"_s);
    QCOMPARE(messages.data(entry, MessageListModel::ChannelRole).toString(), u"voice"_s);
    QCOMPARE(messages.data(entry, MessageListModel::DeliveryStateRole).toInt(),
             int(MessageListModel::NoTicks));
    const QVariantMap media
            = messages.data(entry, MessageListModel::MediaRole).toList().first().toMap();
    QVERIFY(media.value(u"isAudio"_s).toBool());
    QVERIFY(media.value(u"url"_s).toString().endsWith(u".mp3"_s));
}

void TestUiModels::notesAreLive()
{
    TestAccount a;
    auto session = signedIn(&a);
    const QString conversation = m_server.openConversation(
            a, m_server.createContact(a, u"Noted"_s, u"+14155550801"_s));
    NotesModel notes;
    notes.setSession(session.get());
    QSignalSpy pages(&notes, &JsonListModel::pageLoaded);
    notes.setConversationId(conversation);
    QVERIFY(pages.wait(Timeout));
    QCOMPARE(notes.rowCount(), 0);

    QSignalSpy added(&notes, &NotesModel::noteAdded);
    notes.addNote(u"mine"_s, true);
    QVERIFY(added.wait(Timeout));
    QCOMPARE(notes.rowCount(), 1);
    QVERIFY(notes.data(notes.index(0), NotesModel::MineRole).toBool());
    QVERIFY(notes.data(notes.index(0), NotesModel::PrivateRole).toBool());

    const HttpAnswer other = m_server.call(
            "POST", u"/api/v1/teams/"_s + a.teamId + u"/notes"_s,
            QJsonObject {{u"content"_s, u"from elsewhere"_s}, {u"conversationId"_s, conversation}},
            a.accessToken);
    QCOMPARE(other.status, 201);
    QTRY_COMPARE_WITH_TIMEOUT(notes.rowCount(), 2, Timeout);
    QCOMPARE(notes.data(notes.index(0), NotesModel::ContentRole).toString(), u"from elsewhere"_s);

    m_server.call("DELETE",
                  u"/api/v1/teams/"_s + a.teamId + u"/notes/"_s
                          + other.object().value(u"id"_s).toString(),
                  {}, a.accessToken);
    QTRY_COMPARE_WITH_TIMEOUT(notes.rowCount(), 1, Timeout);
}

void TestUiModels::contactDetailsEditAndErrors()
{
    TestAccount a;
    auto session = signedIn(&a);
    const QString contact = m_server.createContact(a, u"Editable"_s, u"+14155550901"_s);
    ContactDetails details;
    details.setSession(session.get());
    details.setContactId(contact);
    QTRY_VERIFY_WITH_TIMEOUT(details.isLoaded(), Timeout);
    QCOMPARE(details.name(), u"Editable"_s);
    QCOMPARE(details.phone(), u"+14155550901"_s);
    QVERIFY(!details.optedOut());

    QSignalSpy saved(&details, &ContactDetails::saved);
    details.save(u"Edited"_s, details.phone(), u"edited@example.test"_s);
    QVERIFY(saved.wait(Timeout));
    QCOMPARE(details.name(), u"Edited"_s);
    QCOMPARE(details.email(), u"edited@example.test"_s);

    details.save(details.name(), u"not a phone"_s, details.email());
    QTRY_VERIFY_WITH_TIMEOUT(!details.isSaving() && !details.errorString().isEmpty(), Timeout);
    QVERIFY(details.fieldErrors().contains(u"phone"_s));
    QCOMPARE(details.phone(), u"+14155550901"_s);

    // Changed elsewhere: the panel follows.
    m_server.call("PATCH", u"/api/v1/teams/"_s + a.teamId + u"/contacts/"_s + contact,
                  QJsonObject {{u"name"_s, u"Renamed elsewhere"_s}}, a.accessToken);
    QTRY_COMPARE_WITH_TIMEOUT(details.name(), u"Renamed elsewhere"_s, Timeout);

    // An opt-out by SMS shows.
    QVERIFY(!m_server.createSmsInbox(a, u"+14155559001"_s).isEmpty());
    QCOMPARE(m_server.inboundSms(u"+14155550901"_s, u"+14155559001"_s, u"STOP"_s), 200);
    QTRY_VERIFY_WITH_TIMEOUT(details.optedOut(), Timeout);
    QVERIFY(details.optedOutAt().isValid());
}

void TestUiModels::contactModelCreatesAndFilters()
{
    TestAccount a;
    auto session = signedIn(&a);
    m_server.createContact(a, u"Alice Smith"_s, u"+14155551001"_s);
    ContactModel contacts;
    QSignalSpy pages(&contacts, &JsonListModel::pageLoaded);
    contacts.setSession(session.get());
    QVERIFY(pages.wait(Timeout));
    QCOMPARE(contacts.rowCount(), 1);

    QSignalSpy created(&contacts, &ContactModel::contactCreated);
    contacts.createContact(u"Bob Jones"_s, u"+14155551002"_s, QString());
    QVERIFY(created.wait(Timeout));
    QTRY_COMPARE_WITH_TIMEOUT(contacts.rowCount(), 2, Timeout);

    // Created by another client: appears live.
    m_server.createContact(a, u"Carol"_s, u"+14155551003"_s);
    QTRY_COMPARE_WITH_TIMEOUT(contacts.rowCount(), 3, Timeout);

    contacts.setQuery(u"jon"_s);
    QVERIFY(pages.wait(Timeout));
    QCOMPARE(contacts.rowCount(), 1);
    QCOMPARE(contacts.data(contacts.index(0), ContactModel::NameRole).toString(), u"Bob Jones"_s);
}

void TestUiModels::searchFindsMessagesAndContacts()
{
    TestAccount a;
    auto session = signedIn(&a);
    const QString conversation = m_server.openConversation(
            a, m_server.createContact(a, u"Zed Searchable"_s, u"+14155551101"_s));
    m_server.sendMessage(a, conversation, u"the zebracorn escaped"_s);
    SearchModel search;
    search.setSession(session.get());
    QSignalSpy pages(&search, &JsonListModel::pageLoaded);
    search.search(u"zebracorn"_s);
    QVERIFY(pages.wait(Timeout));
    QCOMPARE(search.rowCount(), 1);
    QCOMPARE(search.data(search.index(0), SearchModel::KindRole).toString(), u"message"_s);
    QCOMPARE(search.data(search.index(0), SearchModel::ConversationIdRole).toString(),
             conversation);
    QCOMPARE(search.data(search.index(0), SearchModel::ContactNameRole).toString(),
             u"Zed Searchable"_s);

    // A phone number with its '+' (which a query string would read as a space).
    search.search(u"+14155551101"_s);
    QVERIFY(pages.wait(Timeout));
    QVERIFY(search.rowCount() >= 1);
    QCOMPARE(search.data(search.index(0), SearchModel::KindRole).toString(), u"contact"_s);

    search.setQuery(QString());
    QTRY_COMPARE_WITH_TIMEOUT(search.rowCount(), 0, Timeout);
}

void TestUiModels::expiredTokensAreRefreshedForApiAndSocket()
{
    UiTestServer shortLived;
    QString error;
    QVERIFY2(shortLived.start({{u"JWT_EXPIRES_IN"_s, u"2s"_s}}, &error), qPrintable(error));
    TestAccount a;
    auto session = signedIn(&a, &shortLived);
    QVERIFY(session->isRealtimeConnected());
    const QString firstRefresh = session->refreshToken();
    QSignalSpy connected(session->socket(), &SocketIoClient::connected);
    QSignalSpy disconnected(session->socket(), &SocketIoClient::disconnected);

    QTest::qWait(2600); // the access token has expired

    // The API call is answered 401, refreshed once, retried: the model never sees the 401.
    ConversationListModel model;
    QSignalSpy pages(&model, &JsonListModel::pageLoaded);
    model.setSession(session.get());
    QVERIFY(pages.wait(Timeout));
    QVERIFY(model.errorString().isEmpty());
    QVERIFY(session->refreshToken() != firstRefresh);
    QVERIFY(session->isSignedIn());

    // The server dropped the socket when its token expired; the session reconnected it with a
    // fresh token.
    QTRY_VERIFY_WITH_TIMEOUT(disconnected.size() >= 1, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(connected.size() >= 1 && session->isRealtimeConnected(), Timeout);

    // A spent refresh token ends the session.
    session->api()->setTokens(u"expired"_s, firstRefresh);
    QSignalSpy signedOut(session.get(), &Session::signedInChanged);
    model.reload();
    QVERIFY(signedOut.wait(Timeout));
    QVERIFY(!session->isSignedIn());
    QVERIFY(!session->errorString().isEmpty());
}

QTEST_GUILESS_MAIN(TestUiModels)
#include "tst_uimodels.moc"
