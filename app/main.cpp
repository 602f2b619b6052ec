// SPDX-License-Identifier: MIT
// `inbox-central`: the server and its admin commands (see cli/cli.h).

#include "cli/cli.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("inbox-central"));
    QCoreApplication::setApplicationVersion(QStringLiteral(INBOX_VERSION));
    return runCli(QCoreApplication::arguments());
}
