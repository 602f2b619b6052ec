// SPDX-License-Identifier: MIT
#pragma once
// The `media.fetch` job: downloads an inbound message's media from Twilio into the media store
// (TWILIO.md "Inbound SMS/MMS webhook"). Per item: only a URL of Twilio's media pattern for the
// inbox's own account is fetched (anything else is marked unavailable without a request); the
// inbox's credentials go along as HTTP Basic; all items of a message together stay within
// MEDIA_MAX_BYTES. A 404 (a fresh media URL can 404 for a moment), a 5xx, 429 or timeout leaves
// the item for the next attempt (1 s, 2 s, 4 s, ...); on the last attempt, and for any other
// failure, the item becomes "unavailable". Every decided item is written back into the message's
// media JSON ("stored" + size, or "unavailable") with a `message.updated` event, so the message
// is always readable and nothing is lost.

#include "jobs/jobrunner.h"

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>

class Database;
class MediaStore;
class SecretStore;
class TwilioRestClient;

// What one run decided, in the job runner's terms: finished (nothing left to try), or try again
// after `retryInMs` (some item is worth another attempt).
struct MediaFetchOutcome
{
    bool finished = true;
    int retryInMs = 0;
    QString error; // why it is not finished, or why an item became unavailable (for the job row)
};

class MediaFetcher : public QObject
{
    Q_OBJECT
public:
    // `apiBase` is TWILIO_API_BASE (media URLs must live there); `maxBytes` is MEDIA_MAX_BYTES.
    MediaFetcher(Database *db, const SecretStore *secrets, const MediaStore *store,
                 TwilioRestClient *twilio, QString apiBase, qint64 maxBytes,
                 QObject *parent = nullptr);

    // The job runner's handler for InboundMessageService::MediaJobKind.
    void run(const ClaimedJob &job, JobFinish finish);

    // One attempt at the job with `payload` {messageId, teamId, inboxId}; `attempt` counts from 1
    // and the attempt with attempt >= maxAttempts is the last. `done` runs once, on this object's
    // thread.
    void fetch(const QJsonObject &payload, int attempt, int maxAttempts,
               std::function<void(MediaFetchOutcome)> done);

    // The delay before attempt `attempt + 1` after a retryable failure: 1 s, 2 s, 4 s, ... (30 s
    // at most).
    [[nodiscard]] static int retryDelayMs(int attempt);

private:
    struct Run;
    void loaded(const std::shared_ptr<Run> &run);
    void next(const std::shared_ptr<Run> &run);
    void save(const std::shared_ptr<Run> &run);

    Database *m_db;
    const SecretStore *m_secrets;
    const MediaStore *m_store;
    TwilioRestClient *m_twilio;
    QString m_apiBase;
    qint64 m_maxBytes;
};
