// SPDX-License-Identifier: MIT
#include "logging.h"

Q_LOGGING_CATEGORY(lcHttp, "inbox.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAccess, "inbox.access", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSql, "inbox.sql", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "inbox.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConfig, "inbox.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApp, "inbox.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRealtime, "inbox.realtime", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTwilio, "inbox.twilio", QtInfoMsg)
Q_LOGGING_CATEGORY(lcJobs, "inbox.jobs", QtInfoMsg)
