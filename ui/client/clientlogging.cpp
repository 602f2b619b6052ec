// SPDX-License-Identifier: MIT
#include "clientlogging.h"

Q_LOGGING_CATEGORY(lcClient, "inbox.client", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientSocket, "inbox.client.socket", QtInfoMsg)
