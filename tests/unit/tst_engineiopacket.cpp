// SPDX-License-Identifier: MIT
// Engine.IO v4 framing: polling payloads (record separator, base64 binary) and WebSocket frames.

#include "realtime/engineiopacket.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace EngineIo;

Q_DECLARE_METATYPE(EngineIo::Packet)

class TestEngineIoPacket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void payloadRoundTrip_data()
    {
        QTest::addColumn<QList<Packet>>("packets");
        QTest::addColumn<QByteArray>("wire");
        QTest::addRow("one message") << QList<Packet>{Packet::message("hello"_ba)} << "4hello"_ba;
        QTest::addRow("ping") << QList<Packet>{Packet::of(PacketType::Ping)} << "2"_ba;
        QTest::addRow("three joined by 0x1e")
            << QList<Packet>{Packet::message("a"_ba), Packet::of(PacketType::Pong),
                             Packet::message("{\"x\":1}"_ba)}
            << "4a\x1e" "3\x1e" "4{\"x\":1}"_ba;
        QTest::addRow("binary as b + base64")
            << QList<Packet>{Packet::binaryMessage(QByteArray("\x01\x02\x03", 3))} << "bAQID"_ba;
        QTest::addRow("empty message") << QList<Packet>{Packet::message({})} << "4"_ba;
        QTest::addRow("utf-8 text") << QList<Packet>{Packet::message("\xc3\xa9t\xc3\xa9"_ba)}
                                    << "4\xc3\xa9t\xc3\xa9"_ba;
    }
    void payloadRoundTrip()
    {
        QFETCH(QList<Packet>, packets);
        QFETCH(QByteArray, wire);
        QCOMPARE(encodePayload(packets), wire);
        const Result<QList<Packet>> decoded = decodePayload(wire);
        QVERIFY(decoded.ok());
        QCOMPARE(decoded.value(), packets);
    }

    void malformedPayload_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addRow("empty body") << QByteArray();
        QTest::addRow("unknown type") << "9x"_ba;
        QTest::addRow("letter type") << "xyz"_ba;
        QTest::addRow("empty packet between separators") << "4a\x1e\x1e" "4b"_ba;
        QTest::addRow("trailing separator") << "4a\x1e"_ba;
        QTest::addRow("bad base64") << "b@@@"_ba;
    }
    void malformedPayload()
    {
        QFETCH(QByteArray, wire);
        QVERIFY(!decodePayload(wire).ok());
    }

    void textFrames()
    {
        QCOMPARE(encodeTextFrame(Packet::of(PacketType::Pong, "probe"_ba)), "3probe"_ba);
        const Result<Packet> probe = decodeTextFrame("2probe"_ba);
        QVERIFY(probe.ok());
        QCOMPARE(probe->type, PacketType::Ping);
        QCOMPARE(probe->data, "probe"_ba);
        QVERIFY(!decodeTextFrame(QByteArray()).ok());
        QVERIFY(!decodeTextFrame("7"_ba).ok());
    }
};

QTEST_GUILESS_MAIN(TestEngineIoPacket)
#include "tst_engineiopacket.moc"
