// SPDX-License-Identifier: MIT
#pragma once
// /api/v1/teams/{teamId}/contacts: list, create, read, edit, delete (admin), merge, CSV import
// and export. Viewer reads; editor writes; admin deletes.

class Router;
struct ServerContext;

void registerContactRoutes(Router &router, const ServerContext &context);
