// SPDX-License-Identifier: MIT
#pragma once

// The desktop client's logging category (the server's categories live in inboxcore, which the
// client does not link).

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcClient)
Q_DECLARE_LOGGING_CATEGORY(lcClientSocket)
