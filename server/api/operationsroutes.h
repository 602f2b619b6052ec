// SPDX-License-Identifier: MIT
#pragma once
// /healthz (liveness), /readyz (database and migrations), /metrics (Prometheus), and the
// original's GET / status answer.

class Router;
struct ServerContext;

void registerOperationsRoutes(Router &router, const ServerContext &context);
