-- SPDX-License-Identifier: MIT
-- 0006_twilio_numbers (PostgreSQL): the original backend's per-user Twilio number (COMPAT_API.md,
-- PUT /api/auth/update-twilio-number) and its WhatsApp verification codes. The senders and the
-- credentials live in the user's personal inboxes (inboxes.owner_user_id); this table keeps
-- what is about the person: the number and whether they proved they hold it.
CREATE TABLE user_twilio_numbers (
    user_id       text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    twilio_number text,                 -- E.164
    verified_at   timestamptz,          -- NULL until a code sent to the number came back
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- A number is verified for one account at most; an unverified claim blocks nobody.
CREATE UNIQUE INDEX user_twilio_numbers_verified ON user_twilio_numbers (twilio_number)
    WHERE verified_at IS NOT NULL;

-- One pending code per user (a new request replaces it). Never the code itself: an HMAC of it
-- under a server key, so a copy of the database does not give codes away.
CREATE TABLE twilio_otps (
    user_id       text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    twilio_number text NOT NULL,
    salt          text NOT NULL,        -- hex, per code
    code_hash     text NOT NULL,        -- hex HMAC-SHA256
    attempts      integer NOT NULL DEFAULT 0,
    expires_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
