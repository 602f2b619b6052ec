// SPDX-License-Identifier: MIT
#include "httpworkers.h"

#include "http/listeningsockets.h"

#include <QThread>

#include <semaphore>

using namespace Qt::StringLiterals;

struct HttpWorkers::Worker
{
    QThread thread;
    HttpServer *server = nullptr; // lives on `thread`; deleted when the thread finishes
};

HttpWorkers::HttpWorkers(HttpSettings settings, Router *router, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_router(router)
{
}

HttpWorkers::~HttpWorkers()
{
    stop();
}

Status HttpWorkers::start(const QString &host, quint16 port, int threads)
{
    // Default: one more thread than cores. HTTP threads spend much of their time in socket
    // syscalls; measured on 2 cores with wrk -c100 on /healthz: 1 thread 115k req/s, 2 → 144k,
    // 3 → 157k.
    const int count = threads > 0 ? threads : std::max(1, QThread::idealThreadCount()) + 1;
    Result<QList<qintptr>> sockets = openListeningSockets(host, port, count, &m_port);
    if (!sockets) {
        return sockets.error();
    }
    for (int i = 0; i < count; ++i) {
        auto worker = std::make_unique<Worker>();
        worker->thread.setObjectName(u"inbox-http-%1"_s.arg(i));
        // The server is created on its own thread: QAbstractHttpServer keeps a QWebSocketServer
        // by value, which moveToThread would leave behind on the creating thread.
        auto *anchor = new QObject;
        anchor->moveToThread(&worker->thread);
        connect(&worker->thread, &QThread::finished, anchor, &QObject::deleteLater);
        worker->thread.start();
        bool adopted = false;
        const qintptr fd = sockets->at(i);
        Worker *w = worker.get();
        QMetaObject::invokeMethod(anchor, [this, w, fd, &adopted] {
            w->server = new HttpServer(m_settings, m_router, &m_inFlight, &m_draining);
            connect(&w->thread, &QThread::finished, w->server, &QObject::deleteLater);
            connect(w->server, &HttpServer::idle, this, &HttpWorkers::idle, Qt::QueuedConnection);
            adopted = w->server->adoptListeningSocket(fd);
        }, Qt::BlockingQueuedConnection);
        m_workers.push_back(std::move(worker));
        if (!adopted) {
            for (int j = i + 1; j < count; ++j) {
                closeSocketDescriptor(sockets->at(j));
            }
            stop();
            return ApiError::internal(u"cannot serve the listening socket"_s);
        }
    }
    return Done{};
}

void HttpWorkers::stopListening()
{
    m_draining.store(true);
    for (const auto &worker : m_workers) {
        QMetaObject::invokeMethod(worker->server, [server = worker->server] { server->stopListening(); },
                                  Qt::BlockingQueuedConnection);
    }
}

void HttpWorkers::stop()
{
    for (const auto &worker : m_workers) {
        QMetaObject::invokeMethod(worker->server, [server = worker->server] {
            server->closeConnections(2000);
        }, Qt::BlockingQueuedConnection);
    }
    for (const auto &worker : m_workers) {
        worker->thread.quit();
    }
    for (const auto &worker : m_workers) {
        worker->thread.wait();
    }
    m_workers.clear();
}
