// SPDX-License-Identifier: MIT
// The media store on disk (owner-only files under <DATA_DIR>/media/<team>/<message>/<index>,
// no path escapes through ids), how stored media are served (type and disposition), and how a
// message's media items look in the API once stored or unavailable.

#include "domain/media/mediaservice.h"
#include "domain/messages/messagetypes.h"
#include "storage/mediastore.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestMediaStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void putGetRemove();
    void filesAndFoldersAreOwnerOnly();
    void unsafeIdsNeverBecomePaths();
    void servedHeaders_data();
    void servedHeaders();
    void messageJsonOfFetchedMedia();
};

void TestMediaStore::putGetRemove()
{
    QTemporaryDir data;
    const MediaStore store(MediaStore::defaultFolder(data.path()));
    QCOMPARE(store.folder(), data.path() + u"/media"_s);
    QVERIFY(store.get(u"team"_s, u"msg"_s, 0)->has_value() == false);
    QVERIFY(store.put(u"team"_s, u"msg"_s, 0, "first"_ba));
    QVERIFY(store.put(u"team"_s, u"msg"_s, 1, QByteArray(1 << 20, 'x')));
    QCOMPARE(*store.get(u"team"_s, u"msg"_s, 0).value(), "first"_ba);
    QCOMPARE(store.get(u"team"_s, u"msg"_s, 1).value()->size(), 1 << 20);
    QVERIFY(QFileInfo::exists(data.path() + u"/media/team/msg/1"_s));
    QVERIFY(store.put(u"team"_s, u"msg"_s, 0, "second"_ba)); // replaced whole
    QCOMPARE(*store.get(u"team"_s, u"msg"_s, 0).value(), "second"_ba);
    QVERIFY(store.removeMessage(u"team"_s, u"msg"_s));
    QVERIFY(!store.get(u"team"_s, u"msg"_s, 0)->has_value());
    QVERIFY(store.removeMessage(u"team"_s, u"msg"_s)); // nothing left: not an error
}

void TestMediaStore::filesAndFoldersAreOwnerOnly()
{
    QTemporaryDir data;
    const MediaStore store(MediaStore::defaultFolder(data.path()));
    QVERIFY(store.put(u"team"_s, u"msg"_s, 0, "bytes"_ba));
    constexpr QFileDevice::Permissions groupOrOther =
        QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
        | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    for (const QString &path : {u"/media"_s, u"/media/team"_s, u"/media/team/msg"_s,
                                u"/media/team/msg/0"_s}) {
        const QFileInfo info(data.path() + path);
        QVERIFY2(!(info.permissions() & groupOrOther), qPrintable(path));
    }
    QVERIFY(QFileInfo(data.path() + u"/media/team/msg/0"_s).permissions()
            & QFileDevice::ReadOwner);
}

void TestMediaStore::unsafeIdsNeverBecomePaths()
{
    QTemporaryDir data;
    const MediaStore store(MediaStore::defaultFolder(data.path()));
    for (const QString &id : {u".."_s, u"../x"_s, u"a/b"_s, u""_s, u"a b"_s, QString(65, u'a')}) {
        QVERIFY2(!MediaStore::isSafeId(id), qPrintable(id));
        QVERIFY(!store.put(id, u"msg"_s, 0, "x"_ba));
        QVERIFY(!store.put(u"team"_s, id, 0, "x"_ba));
        QVERIFY(!store.get(id, u"msg"_s, 0));
    }
    QVERIFY(!store.put(u"team"_s, u"msg"_s, -1, "x"_ba));
    QVERIFY(MediaStore::isSafeId(u"0190b6e4-1c2a-7d3e-8f00-0123456789ab"_s));
    QVERIFY(!QFileInfo::exists(data.path() + u"/x"_s));
}

void TestMediaStore::servedHeaders_data()
{
    QTest::addColumn<QString>("stored");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("disposition");
    QTest::addRow("jpeg") << u"image/jpeg"_s << "image/jpeg"_ba << "inline"_ba;
    QTest::addRow("upper case, parameters") << u"Image/PNG; name=x.png"_s << "image/png"_ba << "inline"_ba;
    QTest::addRow("audio") << u"audio/ogg"_s << "audio/ogg"_ba << "inline"_ba;
    QTest::addRow("video") << u"video/mp4"_s << "video/mp4"_ba << "inline"_ba;
    QTest::addRow("pdf") << u"application/pdf"_s << "application/pdf"_ba << "inline"_ba;
    QTest::addRow("svg can script") << u"image/svg+xml"_s << "image/svg+xml"_ba << "attachment"_ba;
    QTest::addRow("html") << u"text/html"_s << "text/html"_ba << "attachment"_ba;
    QTest::addRow("vcard") << u"text/vcard"_s << "text/vcard"_ba << "attachment"_ba;
    QTest::addRow("unknown") << QString() << "application/octet-stream"_ba << "attachment"_ba;
    QTest::addRow("header injection") << u"image/png\r\nSet-Cookie: x"_s
                                      << "application/octet-stream"_ba << "attachment"_ba;
}

void TestMediaStore::servedHeaders()
{
    QFETCH(QString, stored);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, disposition);
    const MediaHeaders headers = mediaHeaders(stored);
    QCOMPARE(headers.contentType, contentType);
    QCOMPARE(headers.disposition, disposition);
}

void TestMediaStore::messageJsonOfFetchedMedia()
{
    Message message;
    message.id = u"m1"_s;
    message.teamId = u"t1"_s;
    message.direction = u"inbound"_s;
    const QString twilio = u"https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME"_s;
    message.media = {MediaItem(twilio + u'0', u"image/jpeg"_s, u"stored"_s, 1234),
                     MediaItem(twilio + u'1', u"image/png"_s, u"unavailable"_s),
                     MediaItem(twilio + u'2', u"image/gif"_s),
                     MediaItem(u"https://cdn.example/x.jpg"_s, QString())};

    const QJsonArray media = messageJson(message).value(u"media"_s).toArray();
    QCOMPARE(media.size(), 4);
    const QJsonObject stored = media.at(0).toObject();
    QCOMPARE(stored.value(u"url"_s).toString(), u"/api/v1/teams/t1/messages/m1/media/0"_s);
    QCOMPARE(stored.value(u"sourceUrl"_s).toString(), twilio + u'0');
    QCOMPARE(stored.value(u"contentType"_s).toString(), u"image/jpeg"_s);
    QCOMPARE(stored.value(u"status"_s).toString(), u"stored"_s);
    QCOMPARE(stored.value(u"size"_s).toInteger(), 1234);
    const QJsonObject unavailable = media.at(1).toObject();
    QCOMPARE(unavailable.value(u"url"_s).toString(), twilio + u'1');
    QCOMPARE(unavailable.value(u"status"_s).toString(), u"unavailable"_s);
    QVERIFY(!unavailable.contains(u"sourceUrl"_s));
    // Not fetched yet, and plain links: url + contentType, as before.
    QCOMPARE(media.at(2).toObject().keys(), (QStringList{u"contentType"_s, u"url"_s}));
    QCOMPARE(media.at(3).toObject().value(u"contentType"_s), QJsonValue(QJsonValue::Null));

    // The column round-trips: strings for plain links, objects with status and size otherwise.
    const QJsonArray column = mediaColumnJson(message.media);
    QVERIFY(column.at(3).isString());
    QCOMPARE(column.at(0).toObject().value(u"size"_s).toInteger(), 1234);
    const QList<MediaItem> back = mediaFromJson(column);
    QCOMPARE(back.size(), 4);
    QCOMPARE(back.at(0).status, u"stored"_s);
    QCOMPARE(back.at(0).size, 1234);
    QCOMPARE(back.at(1).status, u"unavailable"_s);
    QVERIFY(back.at(2).status.isEmpty());

    // The original's shape (message.new on the compatible socket) lists the served URLs.
    const QJsonArray urls = compatMessageFromJson(messageJson(message)).value(u"media"_s).toArray();
    QCOMPARE(urls.at(0).toString(), u"/api/v1/teams/t1/messages/m1/media/0"_s);
}

QTEST_APPLESS_MAIN(TestMediaStore)
#include "tst_mediastore.moc"
