// SPDX-License-Identifier: MIT
// Signed media links (/media/{token}): what a token carries, that any change to it, another key
// or the passing of its expiry makes it worthless, and which outbound media URLs the delivery
// turns into links (only the sending team's own stored media).

#include "domain/media/medialinks.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QByteArray kSecret = "0123456789abcdef0123456789abcdef-jwt-secret"_ba;
const QString kPublic = u"https://inbox.example.com"_s;
const MediaRef kMedia{u"0190b6e4-1c2a-7d3e-8f00-0123456789ab"_s,
                      u"0190b6e4-1c2a-7d3e-8f00-0123456789cd"_s, 2};

QDateTime at(qint64 seconds)
{
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
}

} // namespace

class TestMediaLinks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signedUrlRoundTrips();
    void expiresAtItsSecond();
    void alteredTokensAreRefused();
    void anotherKeyIsRefused();
    void publicLinkSignsOnlyTheTeamsOwnMedia();
    void apiPathParsing();
};

void TestMediaLinks::signedUrlRoundTrips()
{
    const MediaLinks links(kPublic + u'/', kSecret);
    const QString url = links.signedUrl(kMedia, 3600, at(1'000'000));
    QVERIFY2(url.startsWith(kPublic + u"/media/"_s), qPrintable(url));
    const QString token = url.mid(kPublic.size() + 7);
    QVERIFY(!token.contains(u'/') && !token.contains(u'='));
    const std::optional<MediaRef> media = links.verify(token, at(1'000'000));
    QVERIFY(media);
    QCOMPARE(*media, kMedia);
}

void TestMediaLinks::expiresAtItsSecond()
{
    const MediaLinks links(kPublic, kSecret);
    const QString token = links.token(kMedia, at(2'000'000));
    QVERIFY(links.verify(token, at(1'999'999)));
    QVERIFY(!links.verify(token, at(2'000'000)));
    QVERIFY(!links.verify(token, at(2'000'001)));
}

void TestMediaLinks::alteredTokensAreRefused()
{
    const MediaLinks links(kPublic, kSecret);
    const QDateTime now = at(1'000'000);
    const QString token = links.token(kMedia, now.addSecs(60));
    QVERIFY(links.verify(token, now));
    // Every single-character change, in the payload and in the MAC.
    for (qsizetype i = 0; i < token.size(); ++i) {
        if (token.at(i) == u'.') {
            continue;
        }
        QString altered = token;
        altered[i] = token.at(i) == u'A' ? u'B' : u'A';
        QVERIFY2(!links.verify(altered, now), qPrintable(altered));
    }
    const qsizetype dot = token.indexOf(u'.');
    // Another message, same MAC; the payload alone; two dots; padding; junk.
    const QString otherPayload = links.token({kMedia.teamId, kMedia.messageId, 3}, now.addSecs(60));
    QVERIFY(!links.verify(QString(otherPayload.left(otherPayload.indexOf(u'.')) + token.mid(dot)), now));
    QVERIFY(!links.verify(token.left(dot), now));
    QVERIFY(!links.verify(QString(token + u".x"_s), now));
    QVERIFY(!links.verify(QString(token + u'='), now));
    QVERIFY(!links.verify(u""_s, now));
    QVERIFY(!links.verify(u"."_s, now));
    QVERIFY(!links.verify(QString(5000, u'a'), now));
}

void TestMediaLinks::anotherKeyIsRefused()
{
    const MediaLinks ours(kPublic, kSecret);
    const MediaLinks theirs(kPublic, "another-secret-another-secret-another-secret"_ba);
    const QDateTime now = at(1'000'000);
    QVERIFY(!ours.verify(theirs.token(kMedia, now.addSecs(60)), now));
}

void TestMediaLinks::publicLinkSignsOnlyTheTeamsOwnMedia()
{
    const MediaLinks links(kPublic, kSecret);
    const QString path = u"/api/v1/teams/%1/messages/%2/media/2"_s.arg(kMedia.teamId, kMedia.messageId);
    for (const QString &url : {path, QString(kPublic + path)}) {
        const std::optional<QString> link = links.publicLink(url, kMedia.teamId);
        QVERIFY2(link, qPrintable(url));
        QVERIFY(link->startsWith(kPublic + u"/media/"_s));
        QCOMPARE(*links.verify(link->mid(kPublic.size() + 7)), kMedia);
    }
    QVERIFY(!links.publicLink(path, u"another-team"_s));
    QVERIFY(!links.publicLink(u"https://elsewhere.example"_s + path, kMedia.teamId));
    QVERIFY(!links.publicLink(u"//elsewhere.example"_s + path, kMedia.teamId));
    QVERIFY(!links.publicLink(u"https://cdn.example/cat.jpg"_s, kMedia.teamId));
    QVERIFY(!links.publicLink(path + u"?x=1"_s, kMedia.teamId));
}

void TestMediaLinks::apiPathParsing()
{
    QCOMPARE(MediaLinks::fromApiPath(u"/api/v1/teams/t-1/messages/m_2/media/0"), (MediaRef{u"t-1"_s, u"m_2"_s, 0}));
    QCOMPARE(MediaLinks::fromApiPath(u"/api/v1/teams/t/messages/m/media/99")->index, 99);
    QVERIFY(!MediaLinks::fromApiPath(u"/api/v1/teams/t/messages/m/media/100"));
    QVERIFY(!MediaLinks::fromApiPath(u"/api/v1/teams/t/messages/m/media/-1"));
    QVERIFY(!MediaLinks::fromApiPath(u"/api/v1/teams/../messages/m/media/1"));
    QVERIFY(!MediaLinks::fromApiPath(u"/api/v1/teams/t/messages/m/media/1/link"));
}

QTEST_APPLESS_MAIN(TestMediaLinks)
#include "tst_medialinks.moc"
