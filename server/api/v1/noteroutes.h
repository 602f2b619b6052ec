// SPDX-License-Identifier: MIT
#pragma once
// /api/v1/teams/{teamId}/notes: list (by contact or conversation), create, read, edit, delete.

class Router;
struct ServerContext;

void registerNoteRoutes(Router &router, const ServerContext &context);
