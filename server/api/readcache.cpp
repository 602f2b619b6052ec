// SPDX-License-Identifier: MIT
#include "readcache.h"

#include "core/metrics.h"
#include "http/httprequest.h"

#include <QDateTime>
#include <QMutexLocker>
#include <QUrl>

namespace {
qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

ReadCache::ReadCache(std::function<quint64()> dataGeneration, Limits limits)
    : m_dataGeneration(std::move(dataGeneration))
    , m_limits(limits)
    , m_entries(limits.maxBytes)
{
}

ReadCache::Ticket ReadCache::ticket(const QString &userId, const HttpRequest &request) const
{
    if (!isEnabled()) {
        return {};
    }
    // The generation first: a write that commits after this point makes the answer unusable.
    Ticket ticket;
    ticket.generation = m_dataGeneration();
    const QByteArray query = request.query.toString(QUrl::FullyEncoded).toUtf8();
    ticket.key.reserve(userId.size() + request.method.size() + request.path.size() + query.size() + 3);
    ticket.key.append(userId.toUtf8()).append('\x1f').append(request.method).append(' ');
    // Encoded: a '?' in the decoded path (%3F) must not read as the start of the query.
    ticket.key.append(QUrl::toPercentEncoding(request.path, "/"));
    if (!query.isEmpty()) {
        ticket.key.append('?').append(query);
    }
    return ticket;
}

std::optional<QByteArray> ReadCache::find(const Ticket &ticket)
{
    if (ticket.key.isEmpty()) {
        return std::nullopt;
    }
    QMutexLocker lock(&m_mutex);
    const Entry *entry = m_entries.object(ticket.key);
    if (!entry) {
        Metrics::instance().countEvent("read_cache_miss");
        return std::nullopt;
    }
    if (entry->generation != ticket.generation || nowMs() - entry->storedAtMs > m_limits.maxAgeMs) {
        m_entries.remove(ticket.key);
        Metrics::instance().countEvent("read_cache_miss");
        return std::nullopt;
    }
    Metrics::instance().countEvent("read_cache_hit");
    return entry->body; // shared, not copied
}

void ReadCache::store(const Ticket &ticket, const QByteArray &body)
{
    // One answer may take at most a quarter of the room, so a few big lists cannot evict all.
    if (ticket.key.isEmpty() || body.size() > m_limits.maxBytes / 4
        || m_dataGeneration() != ticket.generation) {
        return;
    }
    QMutexLocker lock(&m_mutex);
    m_entries.insert(ticket.key, new Entry{body, ticket.generation, nowMs()},
                     body.size() + ticket.key.size());
}
