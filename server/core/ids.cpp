// SPDX-License-Identifier: MIT
#include "ids.h"

#include "crypto.h"

#include <QDateTime>
#include <QUuid>

#include <array>
#include <mutex>

namespace {

// RFC 9562 §6.2 method 1: the 12-bit rand_a field is a counter within one millisecond. A fresh
// millisecond seeds it randomly with the top bit clear, leaving at least 2048 ids of headroom.
constexpr quint32 kCounterMax = 0xFFF;
constexpr quint32 kSeedMask = 0x7FF;

struct IdClock
{
    std::mutex mutex;
    qint64 lastMs = 0;
    quint32 counter = 0;
};

IdClock &idClock()
{
    static IdClock instance;
    return instance;
}

} // namespace

QString newId()
{
    // Draw randomness before taking the lock so threads only serialise on the counter.
    const QByteArray random = Crypto::randomBytes(10);
    const auto byteAt = [&random](int i) { return static_cast<quint8>(random.at(i)); };
    const quint32 seed = ((quint32(byteAt(0)) << 8) | byteAt(1)) & kSeedMask;

    qint64 ms = 0;
    quint32 counter = 0;
    {
        IdClock &state = idClock();
        const std::lock_guard lock(state.mutex);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (now > state.lastMs) {
            state.lastMs = now;
            state.counter = seed;
        } else if (state.counter < kCounterMax) {
            // Same millisecond, or the clock stepped back: keep the old timestamp, count on.
            ++state.counter;
        } else {
            // Counter exhausted: borrow the next millisecond rather than break the ordering.
            ++state.lastMs;
            state.counter = seed;
        }
        ms = state.lastMs;
        counter = state.counter;
    }

    std::array<char, 16> bytes{};
    for (int i = 0; i < 6; ++i) {
        bytes[i] = static_cast<char>((ms >> (8 * (5 - i))) & 0xFF);
    }
    bytes[6] = static_cast<char>(0x70 | ((counter >> 8) & 0x0F)); // version 7
    bytes[7] = static_cast<char>(counter & 0xFF);
    bytes[8] = static_cast<char>(0x80 | (byteAt(2) & 0x3F)); // variant 10xx
    for (int i = 9; i < 16; ++i) {
        bytes[i] = static_cast<char>(byteAt(i - 6));
    }
    return QUuid::fromRfc4122(QByteArrayView(bytes.data(), qsizetype(bytes.size())))
            .toString(QUuid::WithoutBraces);
}
