// SPDX-License-Identifier: MIT
#pragma once
// The call log and outbound calls: GET /api/v1/teams/{teamId}/calls (viewer, newest first) and
// POST /api/v1/teams/{teamId}/conversations/{conversationId}/calls (editor: Twilio rings an
// agent's phone, then connects the conversation's contact).

class Router;
struct ServerContext;

void registerCallRoutes(Router &router, const ServerContext &context);
