// SPDX-License-Identifier: MIT
#pragma once
// The HTTP threads: one HttpServer per thread, each on its own SO_REUSEPORT socket of the same
// port, so parsing, JWT checks and JSON work spread over the cores. Handlers may run on any of
// them; everything they share (router, services, metrics, throttle) is thread-safe.

#include "core/result.h"
#include "http/httpserver.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <vector>

class QThread;

class HttpWorkers : public QObject
{
    Q_OBJECT
public:
    HttpWorkers(HttpSettings settings, Router *router, QObject *parent = nullptr);
    ~HttpWorkers() override;

    // Listens on host:port with `threads` HTTP threads (0: one per core, plus one).
    [[nodiscard]] Status start(const QString &host, quint16 port, int threads);
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] int requestsInFlight() const { return m_inFlight.load(); }

    // Every thread stops accepting; requests in flight still get their answers.
    void stopListening();
    // Ends the threads (after stopListening and, ideally, idle()).
    void stop();

Q_SIGNALS:
    void idle(); // no request in flight any more, on this object's thread

private:
    struct Worker;
    HttpSettings m_settings;
    Router *m_router;
    std::atomic_int m_inFlight = 0;
    std::atomic_bool m_draining = false;
    std::vector<std::unique_ptr<Worker>> m_workers;
    quint16 m_port = 0;
};
