// SPDX-License-Identifier: MIT
#pragma once
// Engine.IO v4 packets and their two framings: HTTP long-polling payloads (packets joined by the
// record separator 0x1e, binary as "b" + base64) and WebSocket frames (one packet per frame,
// binary frames carry raw message bytes with no type byte). Pure functions, no I/O.

#include "core/result.h"

#include <QByteArray>
#include <QList>

namespace EngineIo {

enum class PacketType : char {
    Open = '0',
    Close = '1',
    Ping = '2',
    Pong = '3',
    Message = '4',
    Upgrade = '5',
    Noop = '6',
};

struct Packet
{
    PacketType type = PacketType::Message;
    QByteArray data;     // UTF-8 text, or raw bytes when `binary`
    bool binary = false; // only for Message

    [[nodiscard]] static Packet message(QByteArray text) { return {PacketType::Message, std::move(text), false}; }
    [[nodiscard]] static Packet binaryMessage(QByteArray bytes) { return {PacketType::Message, std::move(bytes), true}; }
    [[nodiscard]] static Packet of(PacketType type, QByteArray data = {}) { return {type, std::move(data), false}; }
    bool operator==(const Packet &other) const = default;
};

constexpr char RecordSeparator = '\x1e';

// Polling: the body of a GET answer.
[[nodiscard]] QByteArray encodePayload(const QList<Packet> &packets);
// Polling: a POST body. Any malformed packet fails the whole payload (the session is closed).
[[nodiscard]] Result<QList<Packet>> decodePayload(QByteArrayView body);

// WebSocket: one packet per frame.
[[nodiscard]] QByteArray encodeTextFrame(const Packet &packet);
[[nodiscard]] Result<Packet> decodeTextFrame(QByteArrayView frame);

} // namespace EngineIo
