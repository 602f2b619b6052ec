// SPDX-License-Identifier: MIT
#include "engineiopacket.h"

using namespace Qt::StringLiterals;

namespace EngineIo {

namespace {

ApiError malformed(const QString &detail)
{
    return ApiError{400, u"malformed-packet"_s, u"Malformed packet"_s, detail, {}, 0};
}

bool isKnownType(char c)
{
    return c >= '0' && c <= '6';
}

Result<Packet> decodeOne(QByteArrayView text)
{
    if (text.isEmpty()) {
        return malformed(u"empty packet"_s);
    }
    if (text.front() == 'b') {
        const QByteArray::FromBase64Result decoded =
            QByteArray::fromBase64Encoding(text.sliced(1).toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            return malformed(u"invalid base64 in a binary packet"_s);
        }
        return Packet::binaryMessage(decoded.decoded);
    }
    const char type = text.front();
    if (!isKnownType(type)) {
        return malformed(u"unknown packet type"_s);
    }
    return Packet{PacketType(type), text.sliced(1).toByteArray(), false};
}

} // namespace

QByteArray encodePayload(const QList<Packet> &packets)
{
    QByteArray out;
    for (qsizetype i = 0; i < packets.size(); ++i) {
        if (i > 0) {
            out += RecordSeparator;
        }
        const Packet &packet = packets.at(i);
        if (packet.binary) {
            out += 'b';
            out += packet.data.toBase64();
        } else {
            out += char(packet.type);
            out += packet.data;
        }
    }
    return out;
}

Result<QList<Packet>> decodePayload(QByteArrayView body)
{
    QList<Packet> packets;
    qsizetype start = 0;
    while (start <= body.size()) {
        qsizetype end = body.indexOf(RecordSeparator, start);
        if (end < 0) {
            end = body.size();
        }
        Result<Packet> packet = decodeOne(body.sliced(start, end - start));
        if (!packet) {
            return packet.error();
        }
        packets.append(std::move(packet.value()));
        start = end + 1;
    }
    return packets;
}

QByteArray encodeTextFrame(const Packet &packet)
{
    Q_ASSERT(!packet.binary);
    QByteArray out;
    out.reserve(packet.data.size() + 1);
    out += char(packet.type);
    out += packet.data;
    return out;
}

Result<Packet> decodeTextFrame(QByteArrayView frame)
{
    if (frame.isEmpty() || !isKnownType(frame.front())) {
        return malformed(u"unknown packet type"_s);
    }
    return Packet{PacketType(frame.front()), frame.sliced(1).toByteArray(), false};
}

} // namespace EngineIo
