// SPDX-License-Identifier: MIT
#include "metrics.h"

#include <QHash>
#include <QMutex>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace {
struct RequestKey
{
    QString route;
    QByteArray method;
    int status = 0;
    bool operator==(const RequestKey &other) const = default;
};
size_t qHash(const RequestKey &key, size_t seed = 0)
{
    return qHashMulti(seed, key.route, key.method, key.status);
}
} // namespace

struct Metrics::Private
{
    std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
    prometheus::Family<prometheus::Counter> &requests =
        prometheus::BuildCounter()
            .Name("inbox_http_requests_total")
            .Help("HTTP requests answered, by route pattern, method and status")
            .Register(*registry);
    prometheus::Family<prometheus::Histogram> &latency =
        prometheus::BuildHistogram()
            .Name("inbox_http_request_duration_seconds")
            .Help("Time from request parsed to response written, by route pattern, method and status")
            .Register(*registry);
    prometheus::Family<prometheus::Histogram> &database =
        prometheus::BuildHistogram()
            .Name("inbox_db_job_duration_seconds")
            .Help("Time spent running one unit of database work on a database thread")
            .Register(*registry);
    prometheus::Family<prometheus::Gauge> &connections =
        prometheus::BuildGauge()
            .Name("inbox_http_open_connections")
            .Help("HTTP connections currently open")
            .Register(*registry);
    prometheus::Family<prometheus::Gauge> &queueDepth =
        prometheus::BuildGauge()
            .Name("inbox_db_queue_depth")
            .Help("Database jobs waiting for a database thread")
            .Register(*registry);
    prometheus::Family<prometheus::Counter> &events =
        prometheus::BuildCounter()
            .Name("inbox_events_total")
            .Help("Things that happened, by kind")
            .Register(*registry);
    prometheus::Gauge &openConnections = connections.Add({});
    prometheus::Histogram &groupCommitSize =
        prometheus::BuildHistogram()
            .Name("inbox_db_group_commit_jobs")
            .Help("Use cases that shared one database commit (group commit)")
            .Register(*registry)
            .Add({}, prometheus::Histogram::BucketBoundaries{2, 4, 8, 16, 32, 64});

    // Family::Add hashes the label map under a lock; cache the metric per label tuple.
    QMutex cacheMutex;
    QHash<RequestKey, prometheus::Counter *> requestCounters;
    QHash<RequestKey, prometheus::Histogram *> latencyHistograms;
};

namespace {
const prometheus::Histogram::BucketBoundaries kLatencyBuckets{
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Metrics &Metrics::instance()
{
    static Metrics metrics;
    return metrics;
}

Metrics::Metrics() : d(std::make_unique<Private>()) { }

void Metrics::observeRequest(const QString &route, const QByteArray &method, int status,
                             double seconds)
{
    const RequestKey counterKey{route, method, status};
    const RequestKey histogramKey{route, method, status};
    prometheus::Counter *counter = nullptr;
    prometheus::Histogram *histogram = nullptr;
    {
        QMutexLocker lock(&d->cacheMutex);
        counter = d->requestCounters.value(counterKey);
        if (!counter) {
            const std::string methodText = method.toStdString();
            const std::string statusText = std::to_string(status);
            counter = &d->requests.Add({{"route", route.toStdString()},
                                        {"method", methodText},
                                        {"status", statusText}});
            d->requestCounters.insert(counterKey, counter);
        }
        histogram = d->latencyHistograms.value(histogramKey);
        if (!histogram) {
            histogram = &d->latency.Add(
                {{"route", route.toStdString()},
                 {"method", method.toStdString()},
                 {"status", std::to_string(status)}},
                kLatencyBuckets);
            d->latencyHistograms.insert(histogramKey, histogram);
        }
    }
    counter->Increment();
    histogram->Observe(seconds);
}

void Metrics::observeDatabase(const char *pool, double seconds)
{
    d->database.Add({{"pool", pool}}, kLatencyBuckets).Observe(seconds);
}

void Metrics::observeGroupCommit(double jobs)
{
    d->groupCommitSize.Observe(jobs);
}

void Metrics::connectionOpened()
{
    d->openConnections.Increment();
}

void Metrics::connectionClosed()
{
    d->openConnections.Decrement();
}

void Metrics::setDatabaseQueueDepth(const char *pool, double value)
{
    d->queueDepth.Add({{"pool", pool}}).Set(value);
}

void Metrics::countEvent(const char *what)
{
    d->events.Add({{"kind", what}}).Increment();
}

QByteArray Metrics::render() const
{
    const std::string text = prometheus::TextSerializer().Serialize(d->registry->Collect());
    return QByteArray::fromStdString(text);
}
