// SPDX-License-Identifier: MIT
#include "realtimeendpoint.h"

#include "http/router.h"

#include <QWebSocket>

using namespace Qt::StringLiterals;

RealtimeEndpoint::RealtimeEndpoint(EngineIoSettings engine, SocketIoSettings io, bool engineOnly)
{
    m_thread.setObjectName(u"inbox-realtime"_s);
    m_engine = new EngineIoServer(std::move(engine));
    if (!engineOnly) {
        m_io = new SocketIoServer(m_engine, io, m_engine);
    }
    m_engine->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    m_thread.start();
}

RealtimeEndpoint::~RealtimeEndpoint()
{
    stop();
}

void RealtimeEndpoint::registerRoutes(Router &router)
{
    EngineIoServer *engine = m_engine;
    const Handler polling = [engine](const RequestPtr &request, const ResponderPtr &responder) {
        engine->postPolling(request, responder);
    };
    for (const QByteArray &method : {"GET"_ba, "POST"_ba, "PUT"_ba, "DELETE"_ba, "PATCH"_ba}) {
        router.add(method, engine->settings().path, polling, BodyKind::Any);
    }
}

WebSocketEndpoint RealtimeEndpoint::webSocketEndpoint()
{
    EngineIoServer *engine = m_engine;
    return WebSocketEndpoint{engine->settings().path,
                             [engine](QWebSocket *socket) { engine->postWebSocket(socket); }};
}

void RealtimeEndpoint::post(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_engine, std::move(work));
}

void RealtimeEndpoint::stop()
{
    if (m_stopped) {
        return;
    }
    m_stopped = true;
    EngineIoServer *engine = m_engine;
    QMetaObject::invokeMethod(engine, [engine] { engine->closeAll(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}
