// SPDX-License-Identifier: MIT
#pragma once
// `inbox-central <command>`: serve, migrate, user create|list|reset-password|set-role|invite,
// import (server/importer).
// Returns the process exit code (0 ok, 1 failed, 2 bad usage or configuration).

#include <QStringList>

[[nodiscard]] int runCli(const QStringList &arguments);
