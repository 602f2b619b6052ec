// SPDX-License-Identifier: MIT
#include "socketiopacket.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace SocketIo {

namespace {

ApiError malformed(const QString &detail)
{
    return ApiError{400, u"malformed-packet"_s, u"Malformed packet"_s, detail, {}, 0};
}

// The reference parser accepts at most this many attachments per packet.
constexpr int MaxAttachments = 10;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool payloadValid(PacketType type, const QJsonValue &data)
{
    switch (type) {
    case PacketType::Connect:
        return data.isUndefined() || data.isObject();
    case PacketType::Disconnect:
        return data.isUndefined();
    case PacketType::ConnectError:
        return data.isString() || data.isObject();
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        if (!data.isArray() || data.toArray().isEmpty()) {
            return false;
        }
        const QJsonValue name = data.toArray().first();
        return name.isDouble() || (name.isString() && !isReservedEventName(name.toString()));
    }
    case PacketType::Ack:
    case PacketType::BinaryAck:
        return data.isArray();
    }
    return false;
}

} // namespace

bool isReservedEventName(const QString &name)
{
    static const QStringList reserved{u"connect"_s, u"connect_error"_s, u"disconnect"_s,
                                      u"disconnecting"_s, u"newListener"_s, u"removeListener"_s};
    return reserved.contains(name);
}

Result<Packet> decode(QByteArrayView text)
{
    if (text.isEmpty() || text.front() < '0' || text.front() > '6') {
        return malformed(u"unknown packet type"_s);
    }
    Packet packet;
    packet.type = PacketType(text.front() - '0');
    qsizetype i = 1;

    if (packet.type == PacketType::BinaryEvent || packet.type == PacketType::BinaryAck) {
        const qsizetype dash = text.indexOf('-', i);
        if (dash <= i || dash - i > 3) {
            return malformed(u"missing attachment count"_s);
        }
        int count = 0;
        for (qsizetype j = i; j < dash; ++j) {
            if (!isDigit(text.at(j))) {
                return malformed(u"bad attachment count"_s);
            }
            count = count * 10 + (text.at(j) - '0');
        }
        if (count < 1 || count > MaxAttachments) {
            return malformed(u"attachment count out of range"_s);
        }
        packet.attachments = count;
        i = dash + 1;
    }

    if (i < text.size() && text.at(i) == '/') {
        const qsizetype comma = text.indexOf(',', i);
        const qsizetype end = comma < 0 ? text.size() : comma;
        packet.nsp = QString::fromUtf8(text.sliced(i, end - i));
        i = comma < 0 ? text.size() : comma + 1;
    }

    const qsizetype idStart = i;
    while (i < text.size() && isDigit(text.at(i))) {
        ++i;
    }
    if (i > idStart) {
        if (i - idStart > 15) {
            return malformed(u"ack id too large"_s);
        }
        packet.id = text.sliced(idStart, i - idStart).toLongLong();
    }

    if (i < text.size()) {
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(text.sliced(i).toByteArray(), &error);
        if (error.error != QJsonParseError::NoError) {
            return malformed(u"invalid JSON payload"_s);
        }
        packet.data = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    }

    if (!payloadValid(packet.type, packet.data)) {
        return malformed(u"invalid payload for this packet type"_s);
    }
    if (packet.attachments > 0 && !placeholdersValid(packet.data, packet.attachments)) {
        return malformed(u"placeholder outside the attachments"_s);
    }
    return packet;
}

QByteArray encode(const Packet &packet)
{
    QByteArray out;
    out += char('0' + int(packet.type));
    if (packet.type == PacketType::BinaryEvent || packet.type == PacketType::BinaryAck) {
        out += QByteArray::number(packet.buffers.size()) + '-';
    }
    if (packet.nsp != u"/"_s) {
        out += packet.nsp.toUtf8() + ',';
    }
    if (packet.id) {
        out += QByteArray::number(*packet.id);
    }
    if (packet.data.isArray()) {
        out += QJsonDocument(packet.data.toArray()).toJson(QJsonDocument::Compact);
    } else if (packet.data.isObject()) {
        out += QJsonDocument(packet.data.toObject()).toJson(QJsonDocument::Compact);
    } else if (packet.data.isString()) {
        // Only CONNECT_ERROR carries a bare string; QJsonDocument cannot write one.
        const QByteArray wrapped = QJsonDocument(QJsonArray{packet.data}).toJson(QJsonDocument::Compact);
        out += wrapped.mid(1, wrapped.size() - 2);
    }
    return out;
}

QJsonObject placeholder(int num)
{
    return QJsonObject{{u"_placeholder"_s, true}, {u"num"_s, num}};
}

static bool isPlaceholder(const QJsonObject &object)
{
    return object.value(u"_placeholder"_s).toBool() && object.value(u"num"_s).isDouble();
}

bool hasPlaceholder(const QJsonValue &data)
{
    if (data.isObject()) {
        const QJsonObject object = data.toObject();
        if (isPlaceholder(object)) {
            return true;
        }
        for (const QJsonValue &value : object) {
            if (hasPlaceholder(value)) {
                return true;
            }
        }
    } else if (data.isArray()) {
        for (const QJsonValue &value : data.toArray()) {
            if (hasPlaceholder(value)) {
                return true;
            }
        }
    }
    return false;
}

bool placeholdersValid(const QJsonValue &data, int count)
{
    if (data.isObject()) {
        const QJsonObject object = data.toObject();
        if (isPlaceholder(object)) {
            const double num = object.value(u"num"_s).toDouble();
            return num >= 0 && num < count && num == double(int(num));
        }
        for (const QJsonValue &value : object) {
            if (!placeholdersValid(value, count)) {
                return false;
            }
        }
    } else if (data.isArray()) {
        for (const QJsonValue &value : data.toArray()) {
            if (!placeholdersValid(value, count)) {
                return false;
            }
        }
    }
    return true;
}

} // namespace SocketIo
