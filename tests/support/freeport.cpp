// SPDX-License-Identifier: MIT
#include "freeport.h"

#include <QHostAddress>
#include <QTcpServer>

quint16 freeTcpPort()
{
    // Port 0 lets the kernel choose an unused ephemeral port.
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) {
        return 0;
    }
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}
