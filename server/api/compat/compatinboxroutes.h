// SPDX-License-Identifier: MIT
#pragma once
// The original backend's inbox routes (COMPAT_API.md): /api/inbox/threads,
// /api/messages/thread/:contactId, /api/messages/send and /api/notes, with its shapes
// (upper-case enums, {error} bodies) over the same use cases as /api/v1. The original was
// single-team: here the caller's first team is theirs.

class Router;
struct ServerContext;

void registerCompatInboxRoutes(Router &router, const ServerContext &context);
