// SPDX-License-Identifier: MIT
#pragma once
// The answers of the hot read routes (the inbox list, a thread, a page of messages, a search),
// kept as the bytes that were sent, so asking again costs no database round trip.
//
// An answer is reused only while the database's data generation (Database::dataGeneration) is
// the one it was read at: any write this instance commits and any commit another instance
// announces drops every answer at once, before the writer hears back, so a client always reads
// its own writes and whatever its real-time events told it about. The max age bounds what
// escapes that (a change made behind the program's back: `inbox-central import` into a live
// database, a hand-made SQL fix). Keys start with the caller's user id: an answer is never
// served to anyone but the user whose authorization produced it.

#include <QByteArray>
#include <QCache>
#include <QMutex>
#include <QString>

#include <functional>
#include <optional>

struct HttpRequest;

class ReadCache
{
public:
    struct Limits
    {
        qsizetype maxBytes = 4 * 1024 * 1024; // READ_CACHE_SIZE; 0 turns the cache off
        int maxAgeMs = 2000;                  // READ_CACHE_MAX_AGE_MS
    };

    // What a read needs to store its answer: taken before the read starts.
    struct Ticket
    {
        QByteArray key; // empty: the cache is off
        quint64 generation = 0;
    };

    ReadCache(std::function<quint64()> dataGeneration, Limits limits);

    [[nodiscard]] bool isEnabled() const { return m_limits.maxBytes > 0; }
    // This caller's ticket for this GET (method, path and query are the key).
    [[nodiscard]] Ticket ticket(const QString &userId, const HttpRequest &request) const;
    // The stored answer, if the data has not changed since it was read and it is young enough.
    [[nodiscard]] std::optional<QByteArray> find(const Ticket &ticket);
    // Keeps `body` unless the data changed while it was read (it would never be served).
    void store(const Ticket &ticket, const QByteArray &body);

private:
    struct Entry
    {
        QByteArray body;
        quint64 generation = 0;
        qint64 storedAtMs = 0;
    };

    std::function<quint64()> m_dataGeneration;
    Limits m_limits;
    QMutex m_mutex; // HTTP threads share one cache
    QCache<QByteArray, Entry> m_entries; // least recently used out first; cost = bytes
};
