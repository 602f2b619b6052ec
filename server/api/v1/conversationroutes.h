// SPDX-License-Identifier: MIT
#pragma once
// /api/v1/teams/{teamId}/conversations: the filtered, keyset-paged list, find-or-create, one
// conversation, status/snooze/assignment changes, and read/unread.

class Router;
struct ServerContext;

void registerConversationRoutes(Router &router, const ServerContext &context);
