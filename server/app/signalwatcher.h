// SPDX-License-Identifier: MIT
#pragma once
// Turns SIGTERM/SIGINT into a Qt signal on the main thread (the self-pipe trick: a signal handler
// may only write to a file descriptor).

#include <QObject>

class QSocketNotifier;

class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};
