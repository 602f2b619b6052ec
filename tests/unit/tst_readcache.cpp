// SPDX-License-Identifier: MIT
// The read cache alone, with a data generation the test moves by hand: an answer is served only
// to the same user for the same method, path and query, only while the generation it was read at
// is current and it is young enough; an answer read while the generation moved is never kept;
// the least recently used answers leave first when the bytes run out; big answers are not kept;
// size 0 turns it off. Hits and misses are counted in the metrics.

#include "api/readcache.h"
#include "core/metrics.h"
#include "http/httprequest.h"

#include <QRegularExpression>
#include <QTest>
#include <QThread>
#include <QUrl>

#include <atomic>

using namespace Qt::StringLiterals;

namespace {

// A request as the HTTP server builds it: decoded path, query parsed from the URL.
HttpRequest requestFor(const QString &target, const QByteArray &method = "GET"_ba)
{
    const QUrl url(u"http://127.0.0.1"_s + target);
    HttpRequest request;
    request.method = method;
    request.path = url.path();
    request.query = QUrlQuery(url);
    return request;
}

// inbox_events_total{kind="<kind>"} as the metrics page shows it (0 before the first count).
qint64 counted(const char *kind)
{
    const QString page = QString::fromUtf8(Metrics::instance().render());
    const QRegularExpression line(u"^inbox_events_total\\{kind=\"%1\"\\} (\\d+)"_s.arg(QLatin1String(kind)),
                                  QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = line.match(page);
    return m.hasMatch() ? m.captured(1).toLongLong() : 0;
}

QByteArray bodyOf(char fill, qsizetype size)
{
    return QByteArray(size, fill);
}

} // namespace

class TestReadCache : public QObject
{
    Q_OBJECT

    std::atomic<quint64> m_generation{1};

    ReadCache::Limits limits(qsizetype maxBytes = 1 << 20, int maxAgeMs = 60'000) const
    {
        return ReadCache::Limits{maxBytes, maxAgeMs};
    }
    std::function<quint64()> generation()
    {
        return [this] { return m_generation.load(); };
    }

private Q_SLOTS:
    void init() { m_generation = 1; }

    void aRepeatedReadIsAHit()
    {
        ReadCache cache(generation(), limits());
        QVERIFY(cache.isEnabled());
        const HttpRequest request = requestFor(u"/api/inbox/threads"_s);
        const qint64 hits = counted("read_cache_hit");
        const qint64 misses = counted("read_cache_miss");

        const ReadCache::Ticket first = cache.ticket(u"user-1"_s, request);
        QVERIFY(!first.key.isEmpty());
        QCOMPARE(first.generation, quint64(1));
        QVERIFY(!cache.find(first).has_value());
        QCOMPARE(counted("read_cache_miss"), misses + 1);
        cache.store(first, R"([{"id":"c1"}])"_ba);

        const ReadCache::Ticket again = cache.ticket(u"user-1"_s, request);
        QCOMPARE(again.key, first.key);
        const std::optional<QByteArray> found = cache.find(again);
        QVERIFY(found.has_value());
        QCOMPARE(*found, R"([{"id":"c1"}])"_ba);
        QCOMPARE(*cache.find(again), R"([{"id":"c1"}])"_ba);
        QCOMPARE(counted("read_cache_hit"), hits + 2);
        QCOMPARE(counted("read_cache_miss"), misses + 1);
    }

    void aMovedGenerationIsAMissAndDropsTheAnswer()
    {
        ReadCache cache(generation(), limits());
        const HttpRequest request = requestFor(u"/api/v1/teams/t1/conversations?limit=5"_s);
        const ReadCache::Ticket old = cache.ticket(u"user-1"_s, request);
        cache.store(old, "old answer"_ba);
        QVERIFY(cache.find(old).has_value());

        m_generation = 2; // a write committed
        const qint64 misses = counted("read_cache_miss");
        const ReadCache::Ticket current = cache.ticket(u"user-1"_s, request);
        QCOMPARE(current.generation, quint64(2));
        QVERIFY(!cache.find(current).has_value());
        QCOMPARE(counted("read_cache_miss"), misses + 1);

        // The stale answer is gone, not merely skipped: a ticket of its own generation misses too.
        m_generation = 1;
        QVERIFY(!cache.find(old).has_value());

        // The answer read at the new generation is served at it.
        m_generation = 2;
        cache.store(current, "new answer"_ba);
        QCOMPARE(*cache.find(cache.ticket(u"user-1"_s, request)), "new answer"_ba);
    }

    void anAnswerReadWhileTheGenerationMovedIsNotKept()
    {
        ReadCache cache(generation(), limits());
        const HttpRequest request = requestFor(u"/api/messages/thread/contact-1"_s);
        const ReadCache::Ticket ticket = cache.ticket(u"user-1"_s, request);
        m_generation = 2; // a write committed while the read ran: what it read may predate it
        cache.store(ticket, "maybe stale"_ba);

        // Not under the ticket's generation (which would be served to a ticket taken before the
        // write, as this one was) ...
        m_generation = 1;
        QVERIFY(!cache.find(ticket).has_value());
        // ... nor under the new one.
        m_generation = 2;
        QVERIFY(!cache.find(cache.ticket(u"user-1"_s, request)).has_value());
    }

    void anAnswerOlderThanTheMaxAgeIsAMiss()
    {
        ReadCache cache(generation(), limits(1 << 20, 400));
        const HttpRequest request = requestFor(u"/api/v1/teams/t1/search?q=hello"_s);
        const ReadCache::Ticket ticket = cache.ticket(u"user-1"_s, request);
        cache.store(ticket, "young"_ba);
        QCOMPARE(*cache.find(ticket), "young"_ba);
        QThread::msleep(600);
        QVERIFY(!cache.find(ticket).has_value());
        // and it was dropped: storing again starts a new life
        cache.store(ticket, "again"_ba);
        QCOMPARE(*cache.find(ticket), "again"_ba);
    }

    void theLeastRecentlyUsedLeavesFirstWhenTheBytesRunOut()
    {
        // Room for four entries of ~1000 bytes (body + key), not five.
        const qsizetype room = 4200;
        ReadCache cache(generation(), limits(room));
        QList<ReadCache::Ticket> tickets;
        for (int i = 0; i < 5; ++i) {
            tickets.append(cache.ticket(u"user-1"_s, requestFor(u"/api/v1/teams/t1/search?q=w%1"_s.arg(i))));
        }
        const qsizetype bodySize = 1000 - tickets[0].key.size();
        for (int i = 0; i < 4; ++i) {
            cache.store(tickets[i], bodyOf(char('a' + i), bodySize));
        }
        for (int i = 0; i < 4; ++i) {
            QVERIFY2(cache.find(tickets[i]).has_value(), qPrintable(u"entry %1 fits"_s.arg(i)));
        }
        // Used in the order 1, 2, 3, 0: entry 1 is now the least recently used.
        QVERIFY(cache.find(tickets[1]).has_value());
        QVERIFY(cache.find(tickets[2]).has_value());
        QVERIFY(cache.find(tickets[3]).has_value());
        QVERIFY(cache.find(tickets[0]).has_value());

        cache.store(tickets[4], bodyOf('e', bodySize));
        QVERIFY2(!cache.find(tickets[1]).has_value(), "the least recently used answer left");
        QCOMPARE(*cache.find(tickets[0]), bodyOf('a', bodySize));
        QCOMPARE(*cache.find(tickets[2]), bodyOf('c', bodySize));
        QCOMPARE(*cache.find(tickets[3]), bodyOf('d', bodySize));
        QCOMPARE(*cache.find(tickets[4]), bodyOf('e', bodySize));
    }

    void anAnswerOverAQuarterOfTheRoomIsNotKept()
    {
        const qsizetype room = 4000;
        ReadCache cache(generation(), limits(room));
        const ReadCache::Ticket big = cache.ticket(u"user-1"_s, requestFor(u"/big"_s));
        const ReadCache::Ticket quarter = cache.ticket(u"user-1"_s, requestFor(u"/quarter"_s));
        const ReadCache::Ticket small = cache.ticket(u"user-1"_s, requestFor(u"/small"_s));
        cache.store(small, "small"_ba);
        cache.store(big, bodyOf('b', room / 4 + 1));
        cache.store(quarter, bodyOf('q', room / 4));
        QVERIFY(!cache.find(big).has_value());
        QCOMPARE(*cache.find(quarter), bodyOf('q', room / 4));
        QCOMPARE(*cache.find(small), "small"_ba); // the big one evicted nothing
    }

    void sizeZeroTurnsTheCacheOff()
    {
        ReadCache cache(generation(), limits(0));
        QVERIFY(!cache.isEnabled());
        const ReadCache::Ticket ticket = cache.ticket(u"user-1"_s, requestFor(u"/api/inbox/threads"_s));
        QVERIFY(ticket.key.isEmpty());
        const qint64 hits = counted("read_cache_hit");
        const qint64 misses = counted("read_cache_miss");
        cache.store(ticket, "answer"_ba);
        QVERIFY(!cache.find(ticket).has_value());
        QVERIFY(!cache.find(ticket).has_value());
        QCOMPARE(counted("read_cache_hit"), hits);
        QCOMPARE(counted("read_cache_miss"), misses); // an off cache counts nothing
    }

    void keysDifferByUserMethodPathAndQuery()
    {
        ReadCache cache(generation(), limits());
        const auto key = [&](const QString &user, const QString &target, const QByteArray &method = "GET"_ba) {
            return cache.ticket(user, requestFor(target, method)).key;
        };
        const QString threads = u"/api/v1/teams/t1/conversations?status=open"_s;
        const QSet<QByteArray> keys{
            key(u"user-1"_s, threads),
            key(u"user-2"_s, threads),
            key(u"user-1"_s, threads, "HEAD"_ba),
            key(u"user-1"_s, u"/api/v1/teams/t2/conversations?status=open"_s),
            key(u"user-1"_s, u"/api/v1/teams/t1/conversations?status=closed"_s),
            key(u"user-1"_s, u"/api/v1/teams/t1/conversations"_s),
            key(u"user-1"_s, u"/api/v1/teams/t1/conversations?"_s + u"status=open&limit=1"_s),
            // the search route reads '+' as a space and %2B as a plus: different searches
            key(u"user-1"_s, u"/api/v1/teams/t1/search?q=c+d"_s),
            key(u"user-1"_s, u"/api/v1/teams/t1/search?q=c%2Bd"_s),
            // a '?' inside the (decoded) path is not the start of the query
            key(u"user-1"_s, u"/api/messages/thread/c1%3Fx=1"_s),
            key(u"user-1"_s, u"/api/messages/thread/c1?x=1"_s),
        };
        QCOMPARE(keys.size(), 11);
        QCOMPARE(key(u"user-1"_s, threads), key(u"user-1"_s, threads)); // and the same request, the same key

        // One user's stored answer is never found with another's ticket.
        const ReadCache::Ticket mine = cache.ticket(u"user-1"_s, requestFor(threads));
        cache.store(mine, "user 1's list"_ba);
        QVERIFY(!cache.find(cache.ticket(u"user-2"_s, requestFor(threads))).has_value());
        QCOMPARE(*cache.find(cache.ticket(u"user-1"_s, requestFor(threads))), "user 1's list"_ba);
    }
};

QTEST_GUILESS_MAIN(TestReadCache)
#include "tst_readcache.moc"
