// SPDX-License-Identifier: MIT
#include "mediafetcher.h"

#include "channels/twilio/twiliomediaurl.h"
#include "channels/twilio/twiliorestclient.h"
#include "config/secretstore.h"
#include "core/logging.h"
#include "storage/database.h"
#include "storage/eventstore.h"
#include "storage/inboxstore.h"
#include "storage/mediastore.h"
#include "storage/messagestore.h"

#include <QHash>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString kStored = u"stored"_s;
const QString kUnavailable = u"unavailable"_s;
constexpr int kMaxRetryDelayMs = 30000;

// What the first database step found: the message and the inbox's credentials (empty when the
// inbox or its secret is gone).
struct Loaded
{
    std::optional<Message> message;
    QString accountSid;
    QByteArray authToken;
};

// Worth another attempt: Twilio's early 404, its 5xx/429, a timeout or an unreachable host.
bool retryable(const ApiError &error)
{
    return error.type == u"twilio-media-not-found"_s || error.type == u"twilio-error"_s
           || error.type == u"twilio-timeout"_s || error.type == u"twilio-unreachable"_s;
}

} // namespace

struct MediaFetcher::Run
{
    QString messageId;
    QString teamId;
    QString inboxId;
    int attempt = 1;
    int maxAttempts = 1;
    std::function<void(MediaFetchOutcome)> done;

    QList<MediaItem> media;
    QString accountSid;
    QByteArray authToken;
    QList<int> pending;
    qsizetype cursor = 0;
    qint64 budget = 0;
    QHash<int, MediaItem> decided; // index → the item with its new status
    bool retry = false;
    QString error;

    [[nodiscard]] bool lastAttempt() const { return attempt >= maxAttempts; }

    void unavailable(int index, const QString &why)
    {
        MediaItem item = media.at(index);
        item.status = kUnavailable;
        item.size = 0;
        decided.insert(index, item);
        error = why;
        qCWarning(lcTwilio).noquote() << "media" << index << "of message" << messageId
                                      << "unavailable:" << why;
    }
};

MediaFetcher::MediaFetcher(Database *db, const SecretStore *secrets, const MediaStore *store,
                           TwilioRestClient *twilio, QString apiBase, qint64 maxBytes,
                           QObject *parent)
    : QObject(parent),
      m_db(db),
      m_secrets(secrets),
      m_store(store),
      m_twilio(twilio),
      m_apiBase(std::move(apiBase)),
      m_maxBytes(maxBytes)
{
}

void MediaFetcher::run(const ClaimedJob &job, JobFinish finish)
{
    fetch(job.payload, job.attempts, job.maxAttempts,
          [finish = std::move(finish)](const MediaFetchOutcome &outcome) {
              finish(outcome.finished ? JobOutcome::done()
                                      : JobOutcome::retry(outcome.error, outcome.retryInMs));
          });
}

int MediaFetcher::retryDelayMs(int attempt)
{
    const int shift = std::clamp(attempt - 1, 0, 15);
    return std::min(1000 << shift, kMaxRetryDelayMs);
}

void MediaFetcher::fetch(const QJsonObject &payload, int attempt, int maxAttempts,
                         std::function<void(MediaFetchOutcome)> done)
{
    auto run = std::make_shared<Run>();
    run->messageId = payload.value(u"messageId"_s).toString();
    run->teamId = payload.value(u"teamId"_s).toString();
    run->inboxId = payload.value(u"inboxId"_s).toString();
    run->attempt = std::max(1, attempt);
    run->maxAttempts = std::max(1, maxAttempts);
    run->done = std::move(done);
    if (!MediaStore::isSafeId(run->messageId) || !MediaStore::isSafeId(run->teamId)) {
        // Nothing a retry could change.
        QMetaObject::invokeMethod(this, [run] {
            run->done({true, 0, u"media.fetch payload names no message"_s});
        });
        return;
    }

    const SecretStore *secrets = m_secrets;
    m_db->run<Loaded>(
        DbAccess::Read,
        [secrets, messageId = run->messageId, teamId = run->teamId,
         inboxId = run->inboxId](DbConnection &db) -> Result<Loaded> {
            Loaded loaded;
            Result<std::optional<Message>> message = MessageStore::byId(db, teamId, messageId);
            if (!message) {
                return message.error();
            }
            loaded.message = message.value();
            if (!loaded.message || inboxId.isEmpty()) {
                return loaded;
            }
            Result<std::optional<Inbox>> inbox = InboxStore::byId(db, teamId, inboxId);
            if (!inbox) {
                return inbox.error();
            }
            if (!inbox.value() || !inbox.value()->credentialsSet()) {
                return loaded;
            }
            Result<std::optional<QByteArray>> token = secrets->get(inbox.value()->credentialsRef);
            if (!token) {
                return token.error();
            }
            loaded.accountSid = inbox.value()->accountSid;
            loaded.authToken = token.value().value_or(QByteArray());
            return loaded;
        },
        this, [this, run](Result<Loaded> loaded) {
            if (!loaded) {
                return run->done({false, retryDelayMs(run->attempt), loaded.error().detail});
            }
            if (!loaded->message) {
                return run->done({true, 0, u"the message is gone"_s});
            }
            run->media = loaded->message->media;
            run->accountSid = loaded->accountSid;
            run->authToken = loaded->authToken;
            this->loaded(run);
        });
}

void MediaFetcher::loaded(const std::shared_ptr<Run> &run)
{
    run->budget = m_maxBytes;
    for (int i = 0; i < run->media.size(); ++i) {
        const MediaItem &item = run->media.at(i);
        if (item.status.isEmpty()) {
            run->pending.append(i);
        } else if (item.status == kStored) {
            run->budget -= item.size;
        }
    }
    if (run->pending.isEmpty()) {
        return run->done({true, 0, {}});
    }
    next(run);
}

void MediaFetcher::next(const std::shared_ptr<Run> &run)
{
    if (run->cursor == run->pending.size()) {
        return save(run);
    }
    const int index = run->pending.at(run->cursor++);
    const MediaItem &item = run->media.at(index);
    if (run->accountSid.isEmpty() || run->authToken.isEmpty()) {
        run->unavailable(index, u"the inbox has no Twilio credentials"_s);
        return next(run);
    }
    if (!TwilioMediaUrl::isMediaUrl(item.url, m_apiBase, run->accountSid)) {
        run->unavailable(index, u"not a Twilio media URL of the inbox's account; not fetched"_s);
        return next(run);
    }
    if (run->budget <= 0) {
        run->unavailable(index, u"the message's media exceed MEDIA_MAX_BYTES"_s);
        return next(run);
    }
    m_twilio->fetchMedia(
        item.url, run->accountSid, run->authToken, run->budget, this,
        [this, run, index](Result<TwilioMedia> fetched) {
            if (!fetched) {
                if (retryable(fetched.error()) && !run->lastAttempt()) {
                    run->retry = true;
                    run->error = fetched.error().detail;
                } else {
                    run->unavailable(index, fetched.error().detail);
                }
                return next(run);
            }
            // Small (MEDIA_MAX_BYTES) and written once: on this thread, not worth a hop.
            if (Status put = m_store->put(run->teamId, run->messageId, index, fetched->bytes);
                !put) {
                if (run->lastAttempt()) {
                    run->unavailable(index, put.error().detail);
                } else {
                    run->retry = true;
                    run->error = put.error().detail;
                }
                return next(run);
            }
            MediaItem item = run->media.at(index);
            item.status = kStored;
            item.size = fetched->bytes.size();
            if (!fetched->contentType.isEmpty()) {
                item.contentType = fetched->contentType;
            }
            run->budget -= item.size;
            run->decided.insert(index, item);
            next(run);
        });
}

void MediaFetcher::save(const std::shared_ptr<Run> &run)
{
    const auto finish = [run] {
        run->done({!run->retry, run->retry ? retryDelayMs(run->attempt) : 0, run->error});
    };
    if (run->decided.isEmpty()) {
        return finish();
    }
    const QHash<int, MediaItem> decided = run->decided;
    m_db->run<Done>(
        DbAccess::Write,
        [decided, teamId = run->teamId, messageId = run->messageId](DbConnection &db) {
            return runInTransaction<Done>(db, [&]() -> Result<Done> {
                Result<std::optional<Message>> found = MessageStore::byId(db, teamId, messageId);
                if (!found) {
                    return found.error();
                }
                if (!found.value()) {
                    return Done{};
                }
                Message message = *found.value();
                bool changed = false;
                // Only items still as this run found them: a concurrent change wins.
                for (auto it = decided.cbegin(); it != decided.cend(); ++it) {
                    if (it.key() < message.media.size()
                        && message.media.at(it.key()).url == it->url
                        && message.media.at(it.key()).status.isEmpty()) {
                        message.media[it.key()] = it.value();
                        changed = true;
                    }
                }
                if (!changed) {
                    return Done{};
                }
                Result<bool> updated =
                    MessageStore::updateMedia(db, teamId, messageId, message.media);
                if (!updated) {
                    return updated.error();
                }
                Result<qint64> event =
                    EventStore::append(db, teamId, u"message.updated"_s, messageJson(message));
                if (!event) {
                    return event.error();
                }
                return Done{};
            });
        },
        this, [run, finish](Result<Done> saved) {
            if (!saved) {
                return run->done({false, retryDelayMs(run->attempt), saved.error().detail});
            }
            finish();
        });
}
