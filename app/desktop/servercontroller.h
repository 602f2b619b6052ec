// SPDX-License-Identifier: MIT
#pragma once
// Runs the embedded InboxServer in this process, on a thread of its own: opening the database,
// migrating and listening happen there, so the GUI thread never waits on them. Publishes what
// the tray shows: state, address, connected real-time clients, the last error.

#include "config/config.h"

#include <QObject>
#include <QPointer>
#include <QString>

class InboxServer;
class QThread;
class QTimer;

class ServerController : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString address READ address NOTIFY stateChanged)
    Q_PROPERTY(int clientCount READ clientCount NOTIFY clientCountChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
public:
    enum class State { Stopped, Starting, Running, Stopping };
    Q_ENUM(State)

    explicit ServerController(QObject *parent = nullptr);
    // Stops a running server synchronously (the only place this class waits).
    ~ServerController() override;

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] bool isRunning() const { return m_state == State::Running; }
    // http://host:port as this machine reaches it; empty unless running.
    [[nodiscard]] QString address() const;
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] int clientCount() const { return m_clientCount; }
    [[nodiscard]] QString lastError() const { return m_lastError; }
    // Whether the database had an account when the server started.
    [[nodiscard]] bool hasUsers() const { return m_hasUsers; }
    [[nodiscard]] QString stateText() const;

    // How often the connected clients are counted while running.
    void setClientPollInterval(int ms);

public Q_SLOTS:
    // Starts the server with `config`; ignored unless stopped. Ends in started() or failed().
    void start(const Config &config);
    // Stops gracefully (requests in flight get `graceMs`); ends in stopped().
    void stop(int graceMs = 3000);

Q_SIGNALS:
    void stateChanged();
    void clientCountChanged();
    void lastErrorChanged();
    void started();
    void failed(const QString &error);
    void stopped();

private:
    void setState(State state);
    void setLastError(const QString &error);
    void onStarted(bool ok, const QString &error, quint16 port, bool hasUsers);
    // Deletes the server on its thread, ends the thread, then reports Stopped.
    void tearDown();
    void pollClients();

    State m_state = State::Stopped;
    QThread *m_thread = nullptr;
    InboxServer *m_server = nullptr; // lives on m_thread
    QTimer *m_poll;
    QString m_host;
    quint16 m_port = 0;
    int m_clientCount = 0;
    bool m_hasUsers = false;
    QString m_lastError;
};
