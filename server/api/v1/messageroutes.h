// SPDX-License-Identifier: MIT
#pragma once
// /api/v1/teams/{teamId}/conversations/{conversationId}/messages: newest-first keyset pages and
// sending (queued or scheduled, its delivery job enqueued in the same transaction). And the
// team's scheduled messages: GET /scheduled-messages (soonest first), PATCH /messages/{id}
// (reschedule or re-word) and POST /messages/{id}/cancel, until the delivery job is claimed.

class Router;
struct ServerContext;

void registerMessageRoutes(Router &router, const ServerContext &context);
