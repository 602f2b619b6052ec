// SPDX-License-Identifier: MIT
#pragma once
// /api/v1/auth: signup, login, refresh, logout, me.

class Router;
struct ServerContext;

void registerAuthRoutes(Router &router, const ServerContext &context);
