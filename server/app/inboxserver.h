// SPDX-License-Identifier: MIT
#pragma once
// The assembled server: database threads, services, routes and the HTTP listener. Used by
// `inbox-central serve` and, later, in-process by the desktop app.

#include "config/config.h"
#include "core/result.h"

#include <QObject>

#include <memory>

class InboxServer : public QObject
{
    Q_OBJECT
public:
    explicit InboxServer(Config config, QObject *parent = nullptr);
    ~InboxServer() override;

    // Opens the database, applies migrations (unless `migrate` is false), and listens.
    [[nodiscard]] Status start(bool migrate = true);
    [[nodiscard]] quint16 port() const;
    [[nodiscard]] bool hasUsers() const;

    // Graceful stop: refuse new connections, let requests in flight finish (up to `graceMs`),
    // then close the database. Emits stopped().
    void stop(int graceMs = 10000);

Q_SIGNALS:
    void stopped();

private:
    struct Private;
    std::unique_ptr<Private> d;
};
