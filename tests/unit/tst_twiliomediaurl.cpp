// SPDX-License-Identifier: MIT
// Which media URLs the download job may fetch: only Twilio's media pattern on TWILIO_API_BASE,
// for the inbox's own account (TWILIO.md), so a webhook cannot point our server anywhere else.

#include "channels/twilio/twiliomediaurl.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString kAccount = u"AC0123456789abcdef0123456789abcdef"_s;
const QString kMessage = u"MM0123456789abcdef0123456789abcdef"_s;
const QString kMedia = u"ME0123456789abcdef0123456789abcdef"_s;

QString mediaPath(const QString &account = kAccount, const QString &message = kMessage,
                  const QString &media = kMedia)
{
    return u"/2010-04-01/Accounts/"_s + account + u"/Messages/"_s + message + u"/Media/"_s + media;
}

} // namespace

class TestTwilioMediaUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isMediaUrl_data();
    void isMediaUrl();
    void sameOrigin();
};

void TestTwilioMediaUrl::isMediaUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("apiBase");
    QTest::addColumn<bool>("accepted");

    const QString twilio = u"https://api.twilio.com"_s;
    const QString fake = u"http://127.0.0.1:4010"_s;
    QTest::addRow("Twilio's media URL") << twilio + mediaPath() << twilio << true;
    QTest::addRow("an SM message") << twilio + mediaPath(kAccount, u"SM0123456789abcdef0123456789abcdef"_s)
                                   << twilio << true;
    QTest::addRow("upper-case hex") << twilio + mediaPath(kAccount, u"MM0123456789ABCDEF0123456789ABCDEF"_s)
                                    << twilio << true;
    QTest::addRow("explicit default port") << u"https://api.twilio.com:443"_s + mediaPath() << twilio << true;
    QTest::addRow("a local fake as the API base") << fake + mediaPath() << fake << true;
    QTest::addRow("API base with a trailing slash") << twilio + mediaPath() << twilio + u'/' << true;
    QTest::addRow("host in upper case") << u"https://API.TWILIO.COM"_s + mediaPath() << twilio << true;

    QTest::addRow("another account") << twilio + mediaPath(u"ACffffffffffffffffffffffffffffffff"_s)
                                     << twilio << false;
    QTest::addRow("another host") << u"https://evil.example"_s + mediaPath() << twilio << false;
    QTest::addRow("a Twilio-looking host") << u"https://api.twilio.com.evil.example"_s + mediaPath()
                                           << twilio << false;
    QTest::addRow("http instead of https") << u"http://api.twilio.com"_s + mediaPath() << twilio << false;
    QTest::addRow("another port") << u"https://api.twilio.com:8443"_s + mediaPath() << twilio << false;
    QTest::addRow("user info") << u"https://x:y@api.twilio.com"_s + mediaPath() << twilio << false;
    QTest::addRow("a query") << twilio + mediaPath() + u"?x=1"_s << twilio << false;
    QTest::addRow("a fragment") << twilio + mediaPath() + u"#x"_s << twilio << false;
    QTest::addRow("trailing slash") << twilio + mediaPath() + u'/' << twilio << false;
    QTest::addRow(".json resource") << twilio + mediaPath() + u".json"_s << twilio << false;
    QTest::addRow("media list") << twilio + u"/2010-04-01/Accounts/"_s + kAccount + u"/Messages/"_s
                                       + kMessage + u"/Media"_s
                                << twilio << false;
    QTest::addRow("not a media SID") << twilio + mediaPath(kAccount, kMessage, u"XX0123456789abcdef0123456789abcdef"_s)
                                     << twilio << false;
    QTest::addRow("short SID") << twilio + mediaPath(kAccount, kMessage, u"ME0123"_s) << twilio << false;
    QTest::addRow("dot segments") << twilio + u"/2010-04-01/Accounts/"_s + kAccount
                                         + u"/Messages/"_s + kMessage + u"/Media/../../../x"_s
                                  << twilio << false;
    QTest::addRow("percent-encoded slash") << twilio + u"/2010-04-01%2FAccounts/"_s + kAccount
                                                  + u"/Messages/"_s + kMessage + u"/Media/"_s + kMedia
                                           << twilio << false;
    QTest::addRow("other API version") << twilio + u"/2008-08-01/Accounts/"_s + kAccount
                                              + u"/Messages/"_s + kMessage + u"/Media/"_s + kMedia
                                       << twilio << false;
    QTest::addRow("the fake's blob URL") << fake + u"/blobs/abcdef"_s << fake << false;
    QTest::addRow("file URL") << u"file:///etc/passwd"_s << twilio << false;
    QTest::addRow("empty") << QString() << twilio << false;
}

void TestTwilioMediaUrl::isMediaUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, apiBase);
    QFETCH(bool, accepted);
    QCOMPARE(TwilioMediaUrl::isMediaUrl(url, apiBase, kAccount), accepted);
}

void TestTwilioMediaUrl::sameOrigin()
{
    const QUrl base(u"https://api.twilio.com"_s);
    QVERIFY(TwilioMediaUrl::sameOrigin(QUrl(u"https://api.twilio.com:443/x"_s), base));
    QVERIFY(!TwilioMediaUrl::sameOrigin(QUrl(u"https://media.twiliocdn.com/x"_s), base));
    QVERIFY(!TwilioMediaUrl::sameOrigin(QUrl(u"http://api.twilio.com/x"_s), base));
    QVERIFY(!TwilioMediaUrl::sameOrigin(QUrl(), base));
}

QTEST_APPLESS_MAIN(TestTwilioMediaUrl)
#include "tst_twiliomediaurl.moc"
