// SPDX-License-Identifier: MIT
// libFuzzer target for the real-time packet parsers: the Engine.IO polling payload and frame
// decoders and the Socket.IO packet decoder get arbitrary bytes. They must return an error or a
// packet, never crash, hang or read out of bounds (run under ASan/UBSan); a decoded packet must
// survive re-encoding and decoding to the same thing.

#include "realtime/engineiopacket.h"
#include "realtime/socketiopacket.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    if (Result<QList<EngineIo::Packet>> packets = EngineIo::decodePayload(input); packets) {
        const QByteArray again = EngineIo::encodePayload(packets.value());
        Result<QList<EngineIo::Packet>> decoded = EngineIo::decodePayload(again);
        if (!decoded || !(decoded.value() == packets.value())) {
            std::abort(); // a payload we accept must round-trip
        }
    }
    (void)EngineIo::decodeTextFrame(input);

    if (Result<SocketIo::Packet> packet = SocketIo::decode(input); packet) {
        SocketIo::Packet copy = packet.value();
        copy.buffers.clear();
        for (int i = 0; i < copy.attachments; ++i) {
            copy.buffers.append(QByteArray(1, char(i)));
        }
        Result<SocketIo::Packet> decoded = SocketIo::decode(SocketIo::encode(copy));
        if (!decoded || decoded->type != copy.type || decoded->nsp != copy.nsp
            || decoded->id != copy.id || decoded->data != copy.data) {
            std::abort(); // a packet we accept must round-trip
        }
    }
    return 0;
}
