// SPDX-License-Identifier: MIT
#pragma once
// The original backend's auth routes (COMPAT_API.md): /api/auth/signup, /login, /session, with
// its shapes ({token, user}, {message} errors, upper-case roles) and without its leaks.

class Router;
struct ServerContext;

void registerCompatAuthRoutes(Router &router, const ServerContext &context);
