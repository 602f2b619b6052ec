// SPDX-License-Identifier: MIT
#pragma once
// /api/v1/auth/google: the redirect sign-in for v1 clients (start; the callback is the shared
// /api/auth/google/callback), the ID-token sign-in for single-page apps, and unlinking Google.

class Router;
struct ServerContext;

void registerGoogleAuthRoutes(Router &router, const ServerContext &context);
