// SPDX-License-Identifier: MIT
#pragma once
// /api/v1/teams/{teamId}/inboxes: a team's channel endpoints (viewer reads, admin writes).
// Credentials are accepted, stored in the secret store and never returned: an inbox shows only
// `credentialsSet`.

class Router;
struct ServerContext;

void registerInboxRoutes(Router &router, const ServerContext &context);
