// SPDX-License-Identifier: MIT
#pragma once
// /api/v1/teams/{teamId}/conversations/{conversationId}/messages: newest-first keyset pages and
// sending (queued or scheduled, its delivery job enqueued in the same transaction).

class Router;
struct ServerContext;

void registerMessageRoutes(Router &router, const ServerContext &context);
