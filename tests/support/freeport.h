// SPDX-License-Identifier: MIT
#pragma once
// A TCP port on 127.0.0.1 that nothing listens on right now, for a server under test.

#include <QtGlobal>

// 0 when no port could be found. The port is released before returning, so another process can
// still take it: a caller that fails to listen should ask again.
[[nodiscard]] quint16 freeTcpPort();
