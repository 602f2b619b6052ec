// SPDX-License-Identifier: MIT
#pragma once
// The original's Google sign-in redirect (COMPAT_API.md): GET /api/auth/google sends the browser
// to Google; GET /api/auth/google/callback finishes every redirect sign-in (the compatible one and
// the v1 one: the stored state says which) and sends the browser on with the tokens, or to the
// frontend's /login?error=<code>. Browser navigations: every answer is a 302, never an error page.

class Router;
struct ServerContext;

void registerCompatGoogleRoutes(Router &router, const ServerContext &context);
