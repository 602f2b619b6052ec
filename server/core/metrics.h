// SPDX-License-Identifier: MIT
#pragma once
// Process metrics in Prometheus' text format (prometheus-cpp types, served by our own /metrics).
// Thread-safe: prometheus-cpp metrics are atomic; label lookups are cached per thread.

#include <QByteArray>
#include <QString>

#include <memory>

namespace prometheus {
class Registry;
class Gauge;
template<typename T> class Family;
class Counter;
class Histogram;
}

class Metrics
{
public:
    static Metrics &instance();

    void observeRequest(const QString &route, const QByteArray &method, int status,
                        double seconds);
    void observeDatabase(const char *pool, double seconds);
    void observeGroupCommit(double jobs);
    void connectionOpened();
    void connectionClosed();
    void setDatabaseQueueDepth(const char *pool, double value);
    void countEvent(const char *what);

    [[nodiscard]] QByteArray render() const;

private:
    Metrics();
    struct Private;
    std::unique_ptr<Private> d;
};
