// SPDX-License-Identifier: MIT
#pragma once
// Twilio's voice webhooks under /api/v1/webhooks/twilio/voice: the incoming call (ring the
// inbox's agents), the end of the ringing (<Dial action>: voicemail when nobody answered), the
// voicemail (<Record action> and its recording status callback), call status callbacks, and the
// agent leg of an outbound call (connect the contact). Each is signed (403 otherwise, nothing
// stored), stored in one transaction, and answered with TwiML after the commit.

class Router;
struct ServerContext;

void registerTwilioVoiceRoutes(Router &router, const ServerContext &context);
