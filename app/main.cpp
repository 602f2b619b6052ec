// SPDX-License-Identifier: MIT
// `inbox-central`: the server and its admin commands (see cli/cli.h).

#include "cli/cli.h"

#include <QCoreApplication>

#include <malloc.h>

int main(int argc, char *argv[])
{
    // The server speaks UTC only (ISO-8601 "Z" everywhere). Without TZ, every local-time
    // conversion (QPSQL hands timestamps over as local times) makes glibc re-read
    // /etc/localtime: measured as a fifth of the CPU of a 200-row answer.
    if (qEnvironmentVariableIsEmpty("TZ")) {
        qputenv("TZ", "UTC");
    }
    // A headless server needs no GLib main loop; Qt's own dispatcher costs less per socket event
    // (measured: +3% requests/s on a trivial route).
    if (qEnvironmentVariableIsEmpty("QT_NO_GLIB")) {
        qputenv("QT_NO_GLIB", "1");
    }
    // glibc gives each busy thread a malloc arena of its own, and each keeps what it freed: with
    // ~15 threads that is megabytes of resident memory for no measurable speed (2 arenas measured:
    // -2 MB RSS under the inbox benchmark). MALLOC_ARENA_MAX, if set, still decides.
    if (qEnvironmentVariableIsEmpty("MALLOC_ARENA_MAX")) {
        mallopt(M_ARENA_MAX, 2);
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("inbox-central"));
    QCoreApplication::setApplicationVersion(QStringLiteral(INBOX_VERSION));
    return runCli(QCoreApplication::arguments());
}
