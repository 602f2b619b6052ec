// SPDX-License-Identifier: MIT
#pragma once
// The assembled server: database threads, services, routes and the HTTP listener. Used by
// `inbox-central serve` and, later, in-process by the desktop app.

#include "config/config.h"
#include "core/result.h"

#include <QObject>

#include <functional>
#include <memory>

// What one process does: `serve` is both roles, `serve --no-worker` only HTTP + real-time,
// `worker` only the job runner (scheduled and retried deliveries, media downloads, maintenance).
struct ServerRoles
{
    bool migrate = true;
    bool http = true;   // HTTP API + real-time
    bool worker = true; // the job runner
};

class InboxServer : public QObject
{
    Q_OBJECT
public:
    explicit InboxServer(Config config, QObject *parent = nullptr);
    ~InboxServer() override;

    // Opens the database, applies migrations (unless roles.migrate is false), listens (roles.http)
    // and runs jobs (roles.worker).
    [[nodiscard]] Status start(ServerRoles roles = {});
    [[nodiscard]] quint16 port() const;
    [[nodiscard]] bool hasUsers() const;

    // Graceful stop: refuse new connections, let requests in flight finish (up to `graceMs`),
    // then close the database. Emits stopped().
    void stop(int graceMs = 10000);

    // How many real-time (Engine.IO) clients are connected, counted on the real-time thread;
    // `done` runs on `context`'s thread (not at all if it is gone). 0 when not serving.
    // Call on this object's thread (the desktop app's tray shows it).
    void countRealtimeClients(QObject *context, std::function<void(int)> done) const;

Q_SIGNALS:
    void stopped();

private:
    struct Private;
    std::unique_ptr<Private> d;
};
