// SPDX-License-Identifier: MIT
#pragma once
// Twilio's messaging webhooks: inbound messages at /api/v1/webhooks/twilio/messages (and the
// original's POST /api/webhooks/twilio), status callbacks at /api/v1/webhooks/twilio/status.
// Each is signed (403 otherwise, nothing stored), idempotent by MessageSid, and answered only
// after its data is committed: empty TwiML for a message, 204 for a status callback.

class Router;
struct ServerContext;

void registerTwilioMessageRoutes(Router &router, const ServerContext &context);
