// SPDX-License-Identifier: MIT
#pragma once
// GET /api/v1/teams/{teamId}/search?q=&limit=&cursor= (viewer): ranked hits over message bodies
// and contacts' names, phones and emails: {data:[{kind, id, score, snippet, contact:{id, name,
// phone}, conversationId, createdAt}], nextCursor}. Page size 1..50 (default 20).

class Router;
struct ServerContext;

void registerSearchRoutes(Router &router, const ServerContext &context);
