// SPDX-License-Identifier: MIT
#pragma once
// The original backend's settings routes (COMPAT_API.md): GET /api/settings/twilio/numbers, the
// Twilio account's incoming numbers, with the original's {numbers} / {error} shapes.

class Router;
struct ServerContext;

void registerCompatSettingsRoutes(Router &router, const ServerContext &context);
