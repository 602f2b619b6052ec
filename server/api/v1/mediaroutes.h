// SPDX-License-Identifier: MIT
#pragma once
// Stored message media: GET /api/v1/teams/{teamId}/messages/{messageId}/media/{index} (viewer),
// POST .../media/{index}/link (a signed short-lived link), and GET /media/{token} (no token
// needed: the link's signature is the authority; see domain/media/medialinks.h).

class Router;
struct ServerContext;

void registerMediaRoutes(Router &router, const ServerContext &context);
