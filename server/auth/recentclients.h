// SPDX-License-Identifier: MIT
#pragma once
// Who a token-less real-time client is. The original web frontend opens its sockets without a
// token (COMPAT_API.md "Real-time"), but it calls the HTTP API with one. So: every request
// that proves a user with a valid Bearer token is remembered under its client fingerprint
// (address, Origin, User-Agent) until that token expires; a token-less socket from the same
// fingerprint is treated as that user, for the original's events only. A socket from a client
// that never proved who it is gets nothing. Thread-safe.

#include <QHash>
#include <QMutex>
#include <QString>

#include <optional>

struct ClientFingerprint
{
    QString address;
    QByteArray origin;
    QByteArray userAgent;
    bool operator==(const ClientFingerprint &other) const = default;
};
size_t qHash(const ClientFingerprint &key, size_t seed = 0);

struct RememberedUser
{
    QString userId;
    qint64 expiresAt = 0; // seconds since the epoch: the token's exp
};

class RecentClients
{
public:
    void remember(const ClientFingerprint &client, const QString &userId, qint64 expiresAt);
    [[nodiscard]] std::optional<RememberedUser> lookup(const ClientFingerprint &client, qint64 nowSecs);

private:
    void pruneLocked(qint64 nowSecs);

    QMutex m_mutex;
    QHash<ClientFingerprint, RememberedUser> m_clients;
    qint64 m_lastPrune = 0;
};
