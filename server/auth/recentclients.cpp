// SPDX-License-Identifier: MIT
#include "recentclients.h"

#include <QDateTime>

size_t qHash(const ClientFingerprint &key, size_t seed)
{
    return qHashMulti(seed, key.address, key.origin, key.userAgent);
}

void RecentClients::remember(const ClientFingerprint &client, const QString &userId, qint64 expiresAt)
{
    QMutexLocker lock(&m_mutex);
    RememberedUser &entry = m_clients[client];
    // The newest token wins: a later sign-in as someone else on the same browser replaces it.
    if (entry.userId != userId || expiresAt > entry.expiresAt) {
        entry = {userId, expiresAt};
    }
    pruneLocked(QDateTime::currentSecsSinceEpoch());
}

void RecentClients::pruneLocked(qint64 nowSecs)
{
    // Bounded memory: forget expired entries every five minutes.
    if (nowSecs - m_lastPrune < 300) {
        return;
    }
    m_lastPrune = nowSecs;
    for (auto it = m_clients.begin(); it != m_clients.end();) {
        it = it->expiresAt <= nowSecs ? m_clients.erase(it) : std::next(it);
    }
}

std::optional<RememberedUser> RecentClients::lookup(const ClientFingerprint &client, qint64 nowSecs)
{
    QMutexLocker lock(&m_mutex);
    pruneLocked(nowSecs);
    const auto it = m_clients.constFind(client);
    if (it == m_clients.cend() || it->expiresAt <= nowSecs) {
        return std::nullopt;
    }
    return *it;
}
