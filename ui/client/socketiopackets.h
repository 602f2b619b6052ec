// SPDX-License-Identifier: MIT
#pragma once

// Encoding and decoding of the text packets the client exchanges over one WebSocket: an
// Engine.IO v4 packet per frame (`<type><data>`), whose message packets (type 4) carry Socket.IO
// v5 packets (`<type>[<attachments>-][<nsp>,][<ack id>][json]`). See /work/shared/SOCKETIO.md.

#include <QJsonArray>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace SocketIoPackets {

enum class EngineType {
    Open = 0,
    Close = 1,
    Ping = 2,
    Pong = 3,
    Message = 4,
    Upgrade = 5,
    Noop = 6
};
enum class Type {
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6
};

struct Packet
{
    Type type = Type::Event;
    QString nsp = QStringLiteral("/");
    int attachments = 0;
    qint64 ackId = -1; // -1: none
    QJsonValue data; // Undefined when absent
};

// The Engine.IO type of a frame and its payload; nullopt for an empty or unknown frame.
[[nodiscard]] std::optional<std::pair<EngineType, QString>> parseEngine(const QString &frame);

// A Socket.IO packet from an Engine.IO message payload; nullopt when malformed.
[[nodiscard]] std::optional<Packet> parse(const QString &payload);

// The Engine.IO frame ("4…") carrying `packet`.
[[nodiscard]] QString encode(const Packet &packet);

} // namespace SocketIoPackets
