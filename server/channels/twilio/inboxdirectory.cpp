// SPDX-License-Identifier: MIT
#include "inboxdirectory.h"

#include "channels/twilio/twilioenvinbox.h"
#include "config/config.h"
#include "config/secretstore.h"
#include "core/logging.h"
#include "storage/database.h"
#include "storage/inboxstore.h"

using namespace Qt::StringLiterals;

namespace {

constexpr int kFoundTtlMs = 30'000;
constexpr int kMissingTtlMs = 2'000;
constexpr qsizetype kMaxEntries = 10'000; // a flood of made-up keys cannot grow it without bound

} // namespace

QString WebhookKey::cacheKey() const
{
    return messagingServiceSid + u'|' + accountSid + u'|' + addresses.join(u',');
}

InboxDirectory::InboxDirectory(Database *db, const SecretStore *secrets, const Config *config,
                               QObject *parent)
    : QObject(parent), m_db(db), m_secrets(secrets), m_config(config)
{
}

std::optional<QList<InboxRoute>> InboxDirectory::cached(const WebhookKey &key) const
{
    QMutexLocker lock(&m_mutex);
    const auto found = m_cache.constFind(key.cacheKey());
    if (found == m_cache.cend() || found->expires.hasExpired()) {
        return std::nullopt;
    }
    return found->routes;
}

void InboxDirectory::load(const WebhookKey &key,
                          std::function<void(Result<QList<InboxRoute>>)> done)
{
    const SecretStore *secrets = m_secrets;
    const Config *config = m_config;
    // The environment's own account may need its inbox created first: that is a write.
    const bool fromEnvironment = TwilioEnvInbox::configured(*config)
                                 && key.accountSid == config->twilioAccountSid;
    m_db->run<QList<InboxRoute>>(
        fromEnvironment ? DbAccess::Write : DbAccess::Read,
        [key, secrets, config, fromEnvironment](DbConnection &db) -> Result<QList<InboxRoute>> {
            if (fromEnvironment) {
                Status ensured = runInTransaction<Done>(db, [&]() -> Result<Done> {
                    return TwilioEnvInbox::ensure(db, *config, *secrets);
                });
                if (!ensured) {
                    return ensured.error();
                }
            }
            Result<QList<Inbox>> inboxes = InboxStore::webhookCandidates(
                db, key.messagingServiceSid, key.accountSid, key.addresses);
            if (!inboxes) {
                return inboxes.error();
            }
            QList<InboxRoute> routes;
            for (const Inbox &inbox : inboxes.value()) {
                if (!inbox.credentialsSet()) {
                    continue;
                }
                Result<std::optional<QByteArray>> token = secrets->get(inbox.credentialsRef);
                if (!token || !token.value() || token.value()->isEmpty()) {
                    // SecretStore is per machine: another instance may hold this inbox's token.
                    qCWarning(lcTwilio) << "inbox" << inbox.id << "has no readable auth token here";
                    continue;
                }
                routes.append(InboxRoute{inbox.id, inbox.teamId, inbox.channel, inbox.address,
                                         inbox.accountSid, inbox.messagingServiceSid,
                                         *token.value(), inbox.agentNumbers});
            }
            return routes;
        },
        this,
        [this, key, done = std::move(done)](Result<QList<InboxRoute>> routes) {
            if (routes) {
                QMutexLocker lock(&m_mutex);
                if (m_cache.size() >= kMaxEntries) {
                    m_cache.clear();
                }
                m_cache.insert(key.cacheKey(),
                               Entry{routes.value(), QDeadlineTimer(routes->isEmpty()
                                                                        ? kMissingTtlMs
                                                                        : kFoundTtlMs)});
            }
            done(std::move(routes));
        });
}

void InboxDirectory::invalidate()
{
    QMutexLocker lock(&m_mutex);
    m_cache.clear();
}
