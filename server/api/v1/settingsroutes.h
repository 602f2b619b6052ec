// SPDX-License-Identifier: MIT
#pragma once
// /api/v1/me/settings (a user's own preferences) and /api/v1/teams/{teamId}/settings (viewer
// reads, admin writes). GET answers the whole document with defaults; PATCH merges the given
// keys (null resets one to its default) and answers the whole document.

class Router;
struct ServerContext;

void registerSettingsRoutes(Router &router, const ServerContext &context);
