// SPDX-License-Identifier: MIT
#pragma once
// Hosts an Engine.IO server (and, unless `engineOnly`, Socket.IO over it) on its own thread, and
// connects it to the HTTP layer: polling routes on the router, WebSocket upgrades on the path.

#include "http/httpserver.h"
#include "realtime/engineioserver.h"
#include "realtime/socketioserver.h"

#include <QThread>

#include <functional>
#include <memory>

class Router;

class RealtimeEndpoint
{
public:
    RealtimeEndpoint(EngineIoSettings engine, SocketIoSettings io, bool engineOnly = false);
    ~RealtimeEndpoint();
    Q_DISABLE_COPY_MOVE(RealtimeEndpoint)

    // GET/POST/… on the path go to the Engine.IO server (polling).
    void registerRoutes(Router &router);
    [[nodiscard]] WebSocketEndpoint webSocketEndpoint();

    // Runs `work` on the real-time thread, where engine() and io() may be used.
    void post(std::function<void()> work);
    [[nodiscard]] EngineIoServer *engine() { return m_engine; }
    [[nodiscard]] SocketIoServer *io() { return m_io; } // nullptr when engine-only
    [[nodiscard]] QThread *thread() { return &m_thread; }

    // Closes every session (held polls answered), then ends the thread.
    void stop();

private:
    QThread m_thread;
    EngineIoServer *m_engine = nullptr;
    SocketIoServer *m_io = nullptr;
    bool m_stopped = false;
};
