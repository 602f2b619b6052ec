// SPDX-License-Identifier: MIT
#pragma once
// Socket.IO v5 packets: `<type>[<attachments>-][<nsp>,][<ack id>][json]`, carried as Engine.IO
// messages. Binary arguments travel as {"_placeholder":true,"num":i} in the JSON plus that many
// Engine.IO binary messages after it. Pure functions, no I/O; every malformed input is an error
// (the connection is then closed), never a crash.

#include "core/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace SocketIo {

enum class PacketType {
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
};

struct Packet
{
    PacketType type = PacketType::Event;
    QString nsp = QStringLiteral("/");
    std::optional<qint64> id;       // ack id
    QJsonValue data{QJsonValue::Undefined}; // Undefined when absent
    int attachments = 0;            // binary packets: how many binary messages follow
    QList<QByteArray> buffers;      // binary packets: the attachments, in order

    bool operator==(const Packet &other) const = default;
};

// Event names a client may not emit (they are the library's own).
[[nodiscard]] bool isReservedEventName(const QString &name);

// Decodes the text part of a packet (binary attachments are collected by the caller).
[[nodiscard]] Result<Packet> decode(QByteArrayView text);
// Encodes a packet; for binary packets the attachments are sent after it by the caller.
[[nodiscard]] QByteArray encode(const Packet &packet);

// An {"_placeholder":true,"num":n} object.
[[nodiscard]] QJsonObject placeholder(int num);
// True when `data` holds a placeholder anywhere (an ack or event that must go as binary).
[[nodiscard]] bool hasPlaceholder(const QJsonValue &data);
// Checks that every placeholder in `data` names an attachment 0..count-1.
[[nodiscard]] bool placeholdersValid(const QJsonValue &data, int count);

} // namespace SocketIo
