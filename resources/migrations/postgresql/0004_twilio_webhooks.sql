-- SPDX-License-Identifier: MIT
-- 0004_twilio_webhooks (PostgreSQL): webhooks from a number inside a Messaging Service find their
-- inbox by its SID.
CREATE INDEX inboxes_messaging_service ON inboxes (messaging_service_sid)
    WHERE messaging_service_sid IS NOT NULL;
