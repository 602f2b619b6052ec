// SPDX-License-Identifier: MIT
// Socket.IO v5 packets: every field of the header, binary placeholders, and the malformed input
// that must close a connection (never crash it).

#include "realtime/socketiopacket.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace SocketIo;

namespace {
QJsonValue json(const char *text)
{
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray(text));
    return document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
}
}

class TestSocketIoPacket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decodes_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("nsp");
        QTest::addColumn<qint64>("id"); // -1: none
        QTest::addColumn<int>("attachments");
        QTest::addColumn<QByteArray>("data"); // compact JSON, empty: undefined
        QTest::addRow("connect") << "0"_ba << 0 << u"/"_s << -1LL << 0 << QByteArray();
        QTest::addRow("connect with auth") << "0{\"token\":\"t\"}"_ba << 0 << u"/"_s << -1LL << 0
                                           << "{\"token\":\"t\"}"_ba;
        QTest::addRow("connect to a namespace, no comma") << "0/custom"_ba << 0 << u"/custom"_s
                                                          << -1LL << 0 << QByteArray();
        QTest::addRow("connect to a namespace with auth") << "0/custom,{\"a\":1}"_ba << 0
                                                          << u"/custom"_s << -1LL << 0
                                                          << "{\"a\":1}"_ba;
        QTest::addRow("disconnect") << "1"_ba << 1 << u"/"_s << -1LL << 0 << QByteArray();
        QTest::addRow("disconnect a namespace") << "1/custom,"_ba << 1 << u"/custom"_s << -1LL
                                                << 0 << QByteArray();
        QTest::addRow("event") << "2[\"hello\",1]"_ba << 2 << u"/"_s << -1LL << 0
                               << "[\"hello\",1]"_ba;
        QTest::addRow("event with ack id") << "2456[\"hello\"]"_ba << 2 << u"/"_s << 456LL << 0
                                           << "[\"hello\"]"_ba;
        QTest::addRow("event in a namespace with id") << "2/admin,12[\"x\"]"_ba << 2
                                                      << u"/admin"_s << 12LL << 0 << "[\"x\"]"_ba;
        QTest::addRow("numeric event name") << "2[1,2]"_ba << 2 << u"/"_s << -1LL << 0 << "[1,2]"_ba;
        QTest::addRow("ack") << "3456[\"ok\"]"_ba << 3 << u"/"_s << 456LL << 0 << "[\"ok\"]"_ba;
        QTest::addRow("empty ack") << "37[]"_ba << 3 << u"/"_s << 7LL << 0 << "[]"_ba;
        QTest::addRow("binary event")
            << "52-[\"ev\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"_ba
            << 5 << u"/"_s << -1LL << 2
            << "[\"ev\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"_ba;
        QTest::addRow("binary ack") << "61-/nsp,789[{\"_placeholder\":true,\"num\":0}]"_ba << 6
                                    << u"/nsp"_s << 789LL << 1
                                    << "[{\"_placeholder\":true,\"num\":0}]"_ba;
    }
    void decodes()
    {
        QFETCH(QByteArray, wire);
        QFETCH(int, type);
        QFETCH(QString, nsp);
        QFETCH(qint64, id);
        QFETCH(int, attachments);
        QFETCH(QByteArray, data);
        const Result<Packet> packet = decode(wire);
        QVERIFY2(packet.ok(), qPrintable(packet.ok() ? QString() : packet.error().detail));
        QCOMPARE(int(packet->type), type);
        QCOMPARE(packet->nsp, nsp);
        QCOMPARE(packet->id.value_or(-1), id);
        QCOMPARE(packet->attachments, attachments);
        if (data.isEmpty()) {
            QVERIFY(packet->data.isUndefined());
        } else {
            QCOMPARE(packet->data, json(data.constData()));
        }
    }

    void refuses_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addRow("empty") << QByteArray();
        QTest::addRow("unknown type") << "7"_ba;
        QTest::addRow("letters") << "abc"_ba;
        QTest::addRow("connect error from a client is still parsed but bad json") << "4abc"_ba;
        QTest::addRow("event with an object") << "2{}"_ba;
        QTest::addRow("event with bad json") << "2abc[\"a\"]"_ba;
        QTest::addRow("event with empty array") << "2[]"_ba;
        QTest::addRow("event named by an object") << "2[{}]"_ba;
        QTest::addRow("reserved name connect") << "2[\"connect\"]"_ba;
        QTest::addRow("reserved name disconnecting") << "2[\"disconnecting\"]"_ba;
        QTest::addRow("connect with an array") << "0[1]"_ba;
        QTest::addRow("disconnect with data") << "1{}"_ba;
        QTest::addRow("ack with an object") << "31{}"_ba;
        QTest::addRow("binary without count") << "5[\"a\"]"_ba;
        QTest::addRow("binary count not a number") << "5x-[\"a\"]"_ba;
        QTest::addRow("binary count zero") << "50-[\"a\"]"_ba;
        QTest::addRow("binary count too large") << "511-[\"a\"]"_ba;
        QTest::addRow("placeholder out of range") << "51-[\"a\",{\"_placeholder\":true,\"num\":1}]"_ba;
        QTest::addRow("ack id too long") << "21234567890123456[\"a\"]"_ba;
        QTest::addRow("truncated json") << "2[\"a\""_ba;
    }
    void refuses()
    {
        QFETCH(QByteArray, wire);
        QVERIFY(!decode(wire).ok());
    }

    void encodes_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("nsp");
        QTest::addColumn<qint64>("id");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<int>("buffers");
        QTest::addColumn<QByteArray>("wire");
        QTest::addRow("connect reply") << 0 << u"/"_s << -1LL << "{\"sid\":\"abc\"}"_ba << 0
                                       << "0{\"sid\":\"abc\"}"_ba;
        QTest::addRow("connect error in a namespace")
            << 4 << u"/random"_s << -1LL << "{\"message\":\"Invalid namespace\"}"_ba << 0
            << "4/random,{\"message\":\"Invalid namespace\"}"_ba;
        QTest::addRow("event") << 2 << u"/"_s << -1LL << "[\"message.new\",{\"id\":\"m\"}]"_ba << 0
                               << "2[\"message.new\",{\"id\":\"m\"}]"_ba;
        QTest::addRow("ack") << 3 << u"/"_s << 456LL << "[\"ok\"]"_ba << 0 << "3456[\"ok\"]"_ba;
        QTest::addRow("binary event") << 5 << u"/"_s << -1LL
                                      << "[\"ev\",{\"_placeholder\":true,\"num\":0}]"_ba << 1
                                      << "51-[\"ev\",{\"_placeholder\":true,\"num\":0}]"_ba;
        QTest::addRow("binary ack in a namespace")
            << 6 << u"/custom"_s << 789LL << "[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"_ba
            << 2 << "62-/custom,789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"_ba;
        QTest::addRow("disconnect") << 1 << u"/"_s << -1LL << QByteArray() << 0 << "1"_ba;
    }
    void encodes()
    {
        QFETCH(int, type);
        QFETCH(QString, nsp);
        QFETCH(qint64, id);
        QFETCH(QByteArray, data);
        QFETCH(int, buffers);
        QFETCH(QByteArray, wire);
        Packet packet;
        packet.type = PacketType(type);
        packet.nsp = nsp;
        if (id >= 0) {
            packet.id = id;
        }
        if (!data.isEmpty()) {
            packet.data = json(data.constData());
        }
        for (int i = 0; i < buffers; ++i) {
            packet.buffers.append(QByteArray(1, char(i)));
        }
        QCOMPARE(encode(packet), wire);
    }

    void connectErrorWithAStringMessage()
    {
        Packet packet;
        packet.type = PacketType::ConnectError;
        packet.data = u"he said \"no\""_s;
        QCOMPARE(encode(packet), "4\"he said \\\"no\\\"\""_ba);
    }

    void placeholders()
    {
        const QJsonValue data = json("[\"a\",{\"nested\":[{\"_placeholder\":true,\"num\":0}]}]");
        QVERIFY(hasPlaceholder(data));
        QVERIFY(placeholdersValid(data, 1));
        QVERIFY(!placeholdersValid(data, 0));
        QVERIFY(!hasPlaceholder(json("[\"a\",{\"b\":1}]")));
        QVERIFY(!placeholdersValid(json("[{\"_placeholder\":true,\"num\":0.5}]"), 2));
    }
};

QTEST_GUILESS_MAIN(TestSocketIoPacket)
#include "tst_socketiopacket.moc"
