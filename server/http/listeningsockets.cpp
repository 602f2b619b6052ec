// SPDX-License-Identifier: MIT
#include "listeningsockets.h"

#include <QHostAddress>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

struct Endpoint
{
    sockaddr_storage address{};
    socklen_t length = 0;
    int family = AF_INET;
};

std::optional<Endpoint> endpointFor(const QString &host, quint16 port)
{
    QHostAddress address;
    if (host.isEmpty() || host == u"0.0.0.0"_s) {
        address = QHostAddress(QHostAddress::AnyIPv4);
    } else if (host == u"localhost"_s) {
        address = QHostAddress(QHostAddress::LocalHost);
    } else if (host == u"::"_s) {
        address = QHostAddress(QHostAddress::AnyIPv6);
    } else if (!address.setAddress(host)) {
        return std::nullopt;
    }
    Endpoint endpoint;
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *v6 = reinterpret_cast<sockaddr_in6 *>(&endpoint.address);
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&v6->sin6_addr, &bytes, sizeof(bytes));
        endpoint.length = sizeof(sockaddr_in6);
        endpoint.family = AF_INET6;
    } else {
        auto *v4 = reinterpret_cast<sockaddr_in *>(&endpoint.address);
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        v4->sin_addr.s_addr = htonl(address.toIPv4Address());
        endpoint.length = sizeof(sockaddr_in);
        endpoint.family = AF_INET;
    }
    return endpoint;
}

void setPort(Endpoint &endpoint, quint16 port)
{
    if (endpoint.family == AF_INET6) {
        reinterpret_cast<sockaddr_in6 *>(&endpoint.address)->sin6_port = htons(port);
    } else {
        reinterpret_cast<sockaddr_in *>(&endpoint.address)->sin_port = htons(port);
    }
}

QString bindError(const QString &host, quint16 port, int error)
{
    if (error == EADDRINUSE) {
        return u"cannot listen on %1:%2: the port is already in use (another server is running "
               "there; stop it or set PORT / --port)"_s.arg(host).arg(port);
    }
    return u"cannot listen on %1:%2: %3"_s.arg(host).arg(port).arg(QString::fromLocal8Bit(std::strerror(error)));
}

} // namespace

void closeSocketDescriptor(qintptr fd)
{
    if (fd >= 0) {
        ::close(int(fd));
    }
}

Result<QList<qintptr>> openListeningSockets(const QString &host, quint16 port, int count,
                                            quint16 *boundPort)
{
    std::optional<Endpoint> endpoint = endpointFor(host, port);
    if (!endpoint) {
        return ApiError{400, u"bad-config"_s, u"Bad configuration"_s,
                        u"HOST \"%1\" is not an IP address"_s.arg(host), {}, 0};
    }
    const int one = 1;

    // The exclusive probe: fails if anybody holds the port, with or without SO_REUSEPORT.
    const int probe = ::socket(endpoint->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe < 0) {
        return ApiError::internal(u"cannot create a socket"_s);
    }
    ::setsockopt(probe, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(probe, reinterpret_cast<sockaddr *>(&endpoint->address), endpoint->length) != 0) {
        const int error = errno;
        ::close(probe);
        return ApiError{400, u"listen-failed"_s, u"Cannot listen"_s, bindError(host, port, error), {}, 0};
    }
    if (port == 0) {
        sockaddr_storage actual{};
        socklen_t length = sizeof(actual);
        ::getsockname(probe, reinterpret_cast<sockaddr *>(&actual), &length);
        port = endpoint->family == AF_INET6
            ? ntohs(reinterpret_cast<sockaddr_in6 *>(&actual)->sin6_port)
            : ntohs(reinterpret_cast<sockaddr_in *>(&actual)->sin_port);
        setPort(*endpoint, port);
    }
    ::close(probe);

    QList<qintptr> sockets;
    for (int i = 0; i < count; ++i) {
        const int fd = ::socket(endpoint->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            break;
        }
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
        if (::bind(fd, reinterpret_cast<sockaddr *>(&endpoint->address), endpoint->length) != 0
            || ::listen(fd, 1024) != 0) {
            const int error = errno;
            ::close(fd);
            for (qintptr open : std::as_const(sockets)) {
                closeSocketDescriptor(open);
            }
            return ApiError{400, u"listen-failed"_s, u"Cannot listen"_s, bindError(host, port, error), {}, 0};
        }
        sockets.append(fd);
    }
    if (sockets.size() != count) {
        for (qintptr open : std::as_const(sockets)) {
            closeSocketDescriptor(open);
        }
        return ApiError::internal(u"cannot create the listening sockets"_s);
    }
    *boundPort = port;
    return sockets;
}
