// SPDX-License-Identifier: MIT
#pragma once
// /api/v1/teams, /api/v1/teams/{teamId}/members and /invitations (admin only).

class Router;
struct ServerContext;

void registerTeamRoutes(Router &router, const ServerContext &context);
