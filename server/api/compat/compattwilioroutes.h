// SPDX-License-Identifier: MIT
#pragma once
// The original backend's per-user Twilio number routes (COMPAT_API.md): PUT
// /api/auth/update-twilio-number, POST /api/auth/request-twilio-otp, POST
// /api/auth/verify-twilio-otp and POST /api/auth/remove-twilio-number, answering {message, user}
// or {message} errors. The settings become the user's personal inboxes
// (domain/inboxes/twilionumberservice.h); the code goes out by WhatsApp from the user's own
// Twilio account.

class Router;
struct ServerContext;

void registerCompatTwilioRoutes(Router &router, const ServerContext &context);
