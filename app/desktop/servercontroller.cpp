// SPDX-License-Identifier: MIT
#include "servercontroller.h"

#include "app/inboxserver.h"
#include "core/logging.h"

#include <QThread>
#include <QTimer>

using namespace Qt::StringLiterals;

ServerController::ServerController(QObject *parent) : QObject(parent), m_poll(new QTimer(this))
{
    m_poll->setInterval(2000);
    connect(m_poll, &QTimer::timeout, this, &ServerController::pollClients);
}

ServerController::~ServerController()
{
    if (!m_thread) {
        return;
    }
    m_poll->stop();
    // Quitting the app: no event loop to wait in any more, so stop at once on the server's
    // thread and join it.
    if (m_server) {
        InboxServer *server = m_server;
        QMetaObject::invokeMethod(server, [server] {
            server->stop(0);
            delete server;
        }, Qt::BlockingQueuedConnection);
        m_server = nullptr;
    }
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

QString ServerController::address() const
{
    if (m_state != State::Running) {
        return {};
    }
    QString host = m_host;
    if (host.isEmpty() || host == u"0.0.0.0"_s || host == u"::"_s) {
        host = u"127.0.0.1"_s;
    }
    if (host.contains(u':')) {
        host = u'[' + host + u']';
    }
    return u"http://%1:%2"_s.arg(host).arg(m_port);
}

QString ServerController::stateText() const
{
    switch (m_state) {
    case State::Stopped:
        return tr("Server stopped");
    case State::Starting:
        return tr("Server starting…");
    case State::Running:
        return tr("Server running");
    case State::Stopping:
        return tr("Server stopping…");
    }
    return {};
}

void ServerController::setClientPollInterval(int ms)
{
    m_poll->setInterval(ms);
}

void ServerController::start(const Config &config)
{
    if (m_state != State::Stopped) {
        return;
    }
    setLastError({});
    setState(State::Starting);
    m_host = config.host;
    m_thread = new QThread;
    m_thread->setObjectName(u"embedded-server"_s);
    m_server = new InboxServer(config);
    m_server->moveToThread(m_thread);
    m_thread->start();
    const QPointer<ServerController> self(this);
    InboxServer *server = m_server;
    QMetaObject::invokeMethod(server, [server, self] {
        const Status status = server->start();
        const bool ok = status.ok();
        const QString error = ok ? QString() : status.error().detail;
        const quint16 port = server->port();
        const bool hasUsers = server->hasUsers();
        if (self) {
            QMetaObject::invokeMethod(self, [self, ok, error, port, hasUsers] {
                if (self) {
                    self->onStarted(ok, error, port, hasUsers);
                }
            });
        }
    });
}

void ServerController::onStarted(bool ok, const QString &error, quint16 port, bool hasUsers)
{
    if (!ok) {
        qCWarning(lcApp) << "embedded server failed to start:" << error;
        setLastError(error.isEmpty() ? tr("The server could not start.") : error);
        tearDown();
        Q_EMIT failed(m_lastError);
        return;
    }
    m_port = port;
    m_hasUsers = hasUsers;
    setState(State::Running);
    qCInfo(lcApp) << "embedded server listening on" << address();
    m_poll->start();
    pollClients();
    Q_EMIT started();
}

void ServerController::stop(int graceMs)
{
    if (m_state != State::Running) {
        return;
    }
    m_poll->stop();
    setState(State::Stopping);
    InboxServer *server = m_server;
    connect(server, &InboxServer::stopped, this, &ServerController::tearDown,
            Qt::SingleShotConnection);
    QMetaObject::invokeMethod(server, [server, graceMs] { server->stop(graceMs); });
}

void ServerController::tearDown()
{
    if (!m_thread) {
        return;
    }
    QThread *thread = m_thread;
    m_thread = nullptr;
    InboxServer *server = m_server;
    m_server = nullptr;
    // The server's children (HTTP threads, services) are destroyed on the thread they live on.
    connect(thread, &QThread::finished, this, [this, thread] {
        thread->deleteLater();
        m_port = 0;
        if (m_clientCount != 0) {
            m_clientCount = 0;
            Q_EMIT clientCountChanged();
        }
        setState(State::Stopped);
        Q_EMIT stopped();
    });
    QMetaObject::invokeMethod(server, [server, thread] {
        delete server;
        thread->quit();
    });
}

void ServerController::pollClients()
{
    if (m_state != State::Running || !m_server) {
        return;
    }
    InboxServer *server = m_server;
    const QPointer<ServerController> self(this);
    QMetaObject::invokeMethod(server, [server, self] {
        server->countRealtimeClients(self, [self](int count) {
            if (self && self->m_clientCount != count && self->m_state == State::Running) {
                self->m_clientCount = count;
                Q_EMIT self->clientCountChanged();
            }
        });
    });
}

void ServerController::setState(State state)
{
    if (m_state != state) {
        m_state = state;
        Q_EMIT stateChanged();
    }
}

void ServerController::setLastError(const QString &error)
{
    if (m_lastError != error) {
        m_lastError = error;
        Q_EMIT lastErrorChanged();
    }
}
