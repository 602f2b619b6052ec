// SPDX-License-Identifier: MIT
#pragma once
// Listening sockets for several HTTP threads on one port: each thread gets its own socket bound
// with SO_REUSEPORT, so the kernel spreads new connections across the threads evenly.

#include "core/result.h"

#include <QList>
#include <QString>

// Opens `count` listening sockets on host:port (port 0: one free port for all). Fails with a
// clear sentence when the address is bad or the port is taken by anyone, another instance of
// this server included (checked with an exclusive bind first, since SO_REUSEPORT alone would let
// a second instance of the same user share the port silently).
[[nodiscard]] Result<QList<qintptr>> openListeningSockets(const QString &host, quint16 port,
                                                          int count, quint16 *boundPort);
void closeSocketDescriptor(qintptr fd);
