// SPDX-License-Identifier: MIT
#include "loginthrottle.h"

#include <algorithm>

LoginThrottle::LoginThrottle(int windowSeconds, int maxPerAccount, int maxPerIp)
    : m_windowMs(qint64(windowSeconds) * 1000), m_maxPerAccount(maxPerAccount), m_maxPerIp(maxPerIp)
{
}

int LoginThrottle::wait(const QHash<QString, Times> &table, const QString &key, int max,
                        qint64 nowMs) const
{
    const auto it = table.constFind(key);
    if (it == table.cend() || max <= 0) {
        return 0;
    }
    const Times &times = it.value();
    // Failures still inside the window.
    const auto firstLive = std::find_if(times.cbegin(), times.cend(),
                                        [&](qint64 t) { return t > nowMs - m_windowMs; });
    const qsizetype live = times.cend() - firstLive;
    if (live < max) {
        return 0;
    }
    // Blocked until the oldest of the last `max` failures leaves the window.
    const qint64 oldestCounted = *(times.cend() - max);
    const qint64 waitMs = oldestCounted + m_windowMs - nowMs;
    return int(std::max<qint64>(1, (waitMs + 999) / 1000));
}

int LoginThrottle::retryAfter(const QString &account, const QString &ip, qint64 nowMs) const
{
    QMutexLocker lock(&m_mutex);
    return std::max(wait(m_accounts, account, m_maxPerAccount, nowMs),
                    wait(m_ips, ip, m_maxPerIp, nowMs));
}

void LoginThrottle::add(QHash<QString, Times> &table, const QString &key, int max, qint64 nowMs)
{
    Times &times = table[key];
    times.push_back(nowMs);
    while (times.size() > size_t(std::max(max, 1))) {
        times.pop_front(); // only the last `max` failures matter
    }
}

void LoginThrottle::recordFailure(const QString &account, const QString &ip, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    add(m_accounts, account, m_maxPerAccount, nowMs);
    add(m_ips, ip, m_maxPerIp, nowMs);
    prune(nowMs);
}

void LoginThrottle::recordSuccess(const QString &account)
{
    QMutexLocker lock(&m_mutex);
    m_accounts.remove(account);
}

void LoginThrottle::prune(qint64 nowMs)
{
    // Bounded memory: forget keys whose newest failure has left the window, once a minute.
    if (nowMs - m_lastPrune < 60'000) {
        return;
    }
    m_lastPrune = nowMs;
    for (auto *table : {&m_accounts, &m_ips}) {
        for (auto it = table->begin(); it != table->end();) {
            if (it->empty() || it->back() <= nowMs - m_windowMs) {
                it = table->erase(it);
            } else {
                ++it;
            }
        }
    }
}
