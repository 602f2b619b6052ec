// SPDX-License-Identifier: MIT
#pragma once
// A call's entry in its contact's conversation: a `messages` row on channel "voice" that says
// what happened ("Missed call", "Voicemail (0:42)" with the recording, "Call (1:23)"). One entry
// per call: later knowledge upgrades it ("Missed call" → the voicemail left after all), never
// adds a second one, and repeated callbacks change nothing.

#include "core/result.h"
#include "domain/calls/calltypes.h"
#include "storage/dbconnection.h"

namespace CallEntries {

// In the caller's transaction: writes or upgrades the entry of `call` to `kind` (`seconds`: the
// length the entry shows) and records it on `call` (messageId, entryKind), with `message.new`
// or `message.updated` and the conversation's activity. True when `call` changed (the caller
// stores it); false when the entry already says as much, or the call has no conversation.
[[nodiscard]] Result<bool> sync(DbConnection &db, Call &call, CallEntryKind kind,
                                std::optional<qint64> seconds);

// The recording as the entry links it: Twilio's RecordingUrl serves WAV, the same URL + ".mp3"
// serves MP3 (audio/mpeg).
[[nodiscard]] QString recordingMediaUrl(const QString &recordingUrl);

} // namespace CallEntries
