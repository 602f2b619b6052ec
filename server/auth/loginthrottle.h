// SPDX-License-Identifier: MIT
#pragma once
// Counts failed logins in a sliding window, per account and per client IP, so password guessing
// gets 429 with Retry-After. In memory and per process; thread-safe (the HTTP threads share it).

#include <QDateTime>
#include <deque>
#include <QHash>
#include <QMutex>
#include <QString>

class LoginThrottle
{
public:
    LoginThrottle(int windowSeconds, int maxPerAccount, int maxPerIp);

    // Seconds to wait before trying again, or 0 when the attempt may go ahead.
    [[nodiscard]] int retryAfter(const QString &account, const QString &ip, qint64 nowMs) const;
    void recordFailure(const QString &account, const QString &ip, qint64 nowMs);
    void recordSuccess(const QString &account);

private:
    using Times = std::deque<qint64>;
    [[nodiscard]] int wait(const QHash<QString, Times> &table, const QString &key, int max,
                           qint64 nowMs) const;
    void add(QHash<QString, Times> &table, const QString &key, int max, qint64 nowMs);
    void prune(qint64 nowMs);

    qint64 m_windowMs;
    int m_maxPerAccount;
    int m_maxPerIp;
    QHash<QString, Times> m_accounts;
    QHash<QString, Times> m_ips;
    qint64 m_lastPrune = 0;
    mutable QMutex m_mutex;
};
