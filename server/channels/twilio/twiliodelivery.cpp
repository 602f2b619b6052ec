// SPDX-License-Identifier: MIT
#include "twiliodelivery.h"

#include "config/config.h"
#include "channels/twilio/twilioenvinbox.h"
#include "config/secretstore.h"
#include "core/logging.h"
#include "domain/media/medialinks.h"
#include "domain/messages/deliverystatus.h"
#include "storage/conversationstore.h"
#include "storage/database.h"
#include "storage/deliverystore.h"
#include "storage/eventstore.h"
#include "storage/inboxstore.h"
#include "storage/messagestore.h"

using namespace Qt::StringLiterals;

namespace {

constexpr auto kStatusWebhookPath = "/api/v1/webhooks/twilio/status";

// Saves the delivery state and announces it, in the caller's transaction.
Status saveDelivery(DbConnection &db, const Message &message)
{
    Result<bool> saved = MessageStore::updateDeliveryAnnounced(db, message, messageJson(message));
    if (!saved) {
        return saved.error();
    }
    return Done{};
}

// The inbox to send from for a message without one when the team has no inbox on its channel
// yet: the TWILIO_* environment's, created now if this is the first team and it is configured.
// (DeliveryStore::target already looked for the message's own inbox and the team's default.)
Result<std::optional<Inbox>> envInboxFor(DbConnection &db, const Config &config,
                                         const SecretStore &secrets, const Message &message)
{
    if (Status ensured = TwilioEnvInbox::ensure(db, config, secrets); !ensured) {
        return ensured.error();
    }
    Result<std::optional<QString>> fallback =
        ConversationStore::defaultInbox(db, message.teamId, message.channel);
    if (!fallback) {
        return fallback.error();
    }
    if (!fallback.value()) {
        return std::optional<Inbox>();
    }
    return InboxStore::byId(db, message.teamId, *fallback.value());
}

} // namespace

struct TwilioDelivery::Plan
{
    enum class Next { Send, Reconcile, Settled };
    Next next = Next::Settled;
    Message message;
    TwilioAccount account;
    OutboundTwilioMessage outbound;
    JobOutcome settled; // Next::Settled: what the job comes to
};

TwilioDelivery::TwilioDelivery(Database *db, const SecretStore *secrets, const Config *config,
                               const MediaLinks *links, TwilioMessageClient *client,
                               JobRunner *runner, QObject *parent)
    : QObject(parent), m_db(db), m_secrets(secrets), m_config(config), m_links(links),
      m_client(client), m_runner(runner)
{
    m_runner->registerHandler(QString::fromLatin1(JobKind),
                              [this](const ClaimedJob &job, JobFinish finish) { handle(job, finish); });
}

void TwilioDelivery::handle(const ClaimedJob &job, JobFinish finish)
{
    attempt(job, [finish](DeliveryReport report) { finish(report.outcome); });
}

void TwilioDelivery::sendNow(const QString &messageId, std::function<void(DeliveryReport)> done)
{
    const QString owner = m_runner->owner();
    const int leaseMs = m_runner->leaseMs();
    m_db->runGrouped<std::optional<ClaimedJob>>(
        messageId,
        [messageId, owner, leaseMs](DbConnection &db) {
            return runInTransaction<std::optional<ClaimedJob>>(db, [&] {
                return JobStore::claimByKey(db, u"send:"_s + messageId, owner, leaseMs);
            });
        },
        this, [this, done](Result<std::optional<ClaimedJob>> claimed) {
            if (!claimed || !claimed.value()) {
                // The runner (or another instance) took the job first: it delivers it.
                DeliveryReport report;
                report.claimed = false;
                report.outcome = JobOutcome::retry(
                    claimed ? u"already being delivered"_s : claimed.error().detail, 0);
                return done(report);
            }
            auto report = std::make_shared<DeliveryReport>();
            m_runner->runClaimed(
                *claimed.value(),
                [this, report](const ClaimedJob &job, JobFinish finish) {
                    attempt(job, [report, finish](DeliveryReport result) {
                        *report = result;
                        finish(result.outcome);
                    });
                },
                [report, done](const JobOutcome &) { done(*report); });
        });
}

void TwilioDelivery::attempt(const ClaimedJob &job, std::function<void(DeliveryReport)> done)
{
    const QString messageId = job.payload.value(u"messageId"_s).toString();
    const SecretStore *secrets = m_secrets;
    const QString statusCallback = m_config->publicUrl + QString::fromLatin1(kStatusWebhookPath);
    m_db->runGrouped<std::shared_ptr<Plan>>(
        messageId,
        [job, messageId, secrets, config = m_config, links = m_links, statusCallback](DbConnection &db) {
            return runInTransaction<std::shared_ptr<Plan>>(db, [&]() -> Result<std::shared_ptr<Plan>> {
                auto plan = std::make_shared<Plan>();
                // The message, its contact and its inbox in one read.
                Result<std::optional<DeliveryTarget>> found =
                    DeliveryStore::target(db, job.teamId, messageId);
                if (!found) {
                    return found.error();
                }
                if (!found.value()) {
                    plan->settled = JobOutcome::fail(u"the message no longer exists"_s);
                    return plan;
                }
                Message &message = plan->message = found.value()->message;
                const QString status = message.status;
                if (status != u"queued"_s && status != u"scheduled"_s && status != u"sending"_s
                    && status != u"pending"_s) {
                    plan->settled = JobOutcome::done(); // sent, failed or canceled already
                    return plan;
                }
                const auto refuse = [&](const QString &code, const QString &text)
                    -> Result<std::shared_ptr<Plan>> {
                    message.status = u"failed"_s;
                    message.errorCode = code;
                    message.errorText = text;
                    if (Status saved = saveDelivery(db, message); !saved) {
                        return saved.error();
                    }
                    plan->settled = JobOutcome::fail(text);
                    return plan;
                };
                const std::optional<ContactSummary> &contact = found.value()->contact;
                if (!contact || contact->phone.isEmpty()) {
                    return refuse(u"no-recipient"_s, u"The contact has no phone number."_s);
                }
                if (contact->optedOutAt.isValid()) {
                    return refuse(u"opted-out"_s,
                                  u"The contact has opted out of messages; nothing was sent."_s);
                }
                Result<std::optional<Inbox>> inbox = found.value()->inbox;
                if (!inbox.value() && message.inboxId.isEmpty()) {
                    // No inbox on the channel yet: the TWILIO_* environment's may be made now.
                    inbox = envInboxFor(db, *config, *secrets, message);
                    if (!inbox) {
                        return inbox.error();
                    }
                }
                if (!inbox.value() || !inbox.value()->credentialsSet()
                    || inbox.value()->accountSid.isEmpty()) {
                    return refuse(u"no-credentials"_s,
                                  u"The conversation has no inbox with Twilio credentials to send "
                                  "from."_s);
                }
                Result<std::optional<QByteArray>> token =
                    secrets->get(inbox.value()->credentialsRef);
                if (!token || !token.value() || token.value()->isEmpty()) {
                    return refuse(u"no-credentials"_s,
                                  u"The inbox's auth token is not stored on this server."_s);
                }
                plan->account = TwilioAccount{inbox.value()->accountSid, *token.value()};
                const bool whatsapp = message.channel == u"whatsapp"_s;
                plan->outbound.to = (whatsapp ? u"whatsapp:"_s : QString()) + contact->phone;
                plan->outbound.messagingServiceSid = inbox.value()->messagingServiceSid;
                plan->outbound.from = inbox.value()->address;
                plan->outbound.body = message.body;
                for (const MediaItem &item : message.media) {
                    // Our own stored media go out as signed short-lived links.
                    plan->outbound.mediaUrls.append(
                        links->publicLink(item.url, message.teamId).value_or(item.url));
                }
                plan->outbound.statusCallback = statusCallback;
                if (status == u"sending"_s) {
                    plan->next = Plan::Next::Reconcile; // an earlier attempt may have gone out
                    return plan;
                }
                message.status = u"sending"_s;
                if (Status saved = saveDelivery(db, message); !saved) {
                    return saved.error();
                }
                plan->next = Plan::Next::Send;
                return plan;
            });
        },
        this, [this, job, done](Result<std::shared_ptr<Plan>> plan) {
            if (!plan) {
                DeliveryReport report;
                report.outcome = JobOutcome::retry(plan.error().detail);
                return done(report);
            }
            switch (plan.value()->next) {
            case Plan::Next::Send:
                return send(job, plan.value(), done);
            case Plan::Next::Reconcile:
                return reconcile(job, plan.value(), done);
            case Plan::Next::Settled: {
                DeliveryReport report;
                report.outcome = plan.value()->settled;
                report.message = plan.value()->message;
                return done(report);
            }
            }
        });
}

void TwilioDelivery::send(const ClaimedJob &job, std::shared_ptr<Plan> plan,
                          std::function<void(DeliveryReport)> done)
{
    m_client->send(plan->account, plan->outbound, this,
                   [this, job, plan, done](TwilioSendOutcome twilio) {
                       record(job, plan, std::move(twilio), done);
                   });
}

void TwilioDelivery::reconcile(const ClaimedJob &job, std::shared_ptr<Plan> plan,
                               std::function<void(DeliveryReport)> done)
{
    // With a Messaging Service Twilio picks the sender: list by recipient only.
    const QString from = plan->outbound.messagingServiceSid.isEmpty() ? plan->outbound.from
                                                                      : QString();
    m_client->listSent(
        plan->account, plan->outbound.to, from, plan->message.createdAt, this,
        [this, job, plan, done](Result<QList<TwilioListedMessage>> listed) {
            if (!listed) {
                DeliveryReport report;
                report.outcome = JobOutcome::retry(u"reconciling with Twilio failed: "_s
                                                   + listed.error().detail);
                report.message = plan->message;
                return done(report);
            }
            for (const TwilioListedMessage &sent : listed.value()) {
                if (sent.body == plan->outbound.body) {
                    qCInfo(lcTwilio) << "message" << plan->message.id
                                     << "was sent before its outcome was recorded; adopting"
                                     << sent.sid << "instead of sending again";
                    TwilioSendOutcome adopted;
                    adopted.kind = TwilioSendOutcome::Kind::Accepted;
                    adopted.sid = sent.sid;
                    adopted.status = sent.status;
                    adopted.httpStatus = 200;
                    return record(job, plan, adopted, done);
                }
            }
            send(job, plan, done); // Twilio never got it: sending now cannot duplicate it
        });
}

void TwilioDelivery::record(const ClaimedJob &job, std::shared_ptr<Plan> plan,
                            TwilioSendOutcome twilio, std::function<void(DeliveryReport)> done)
{
    const bool lastAttempt = job.attempts >= job.maxAttempts;
    m_db->runGrouped<DeliveryReport>(
        plan->message.id,
        [job, plan, twilio, lastAttempt](DbConnection &db) {
            return runInTransaction<DeliveryReport>(db, [&]() -> Result<DeliveryReport> {
                DeliveryReport report;
                report.twilio = twilio;
                // The delivery state as this attempt read it (nothing else writes it while the
                // job's lease is held); the rest of the row comes back fresh from the write.
                Message message = plan->message;
                using Kind = TwilioSendOutcome::Kind;
                switch (twilio.kind) {
                case Kind::Accepted:
                    message.status = u"sent"_s;
                    message.providerSid = twilio.sid;
                    message.sentAt = QDateTime::currentDateTimeUtc();
                    message.errorCode.clear();
                    message.errorText.clear();
                    report.outcome = JobOutcome::done();
                    break;
                case Kind::Rejected:
                    message.status = u"failed"_s;
                    message.errorCode = twilio.code != 0 ? QString::number(twilio.code)
                                                         : QString::number(twilio.httpStatus);
                    message.errorText = twilio.message;
                    report.outcome = JobOutcome::fail(twilio.errorText());
                    break;
                case Kind::Transient:
                case Kind::Unknown:
                    if (lastAttempt) {
                        message.status = u"failed"_s;
                        message.errorCode = twilio.code != 0 ? QString::number(twilio.code)
                                                             : QString();
                        message.errorText =
                            twilio.kind == Kind::Unknown
                                ? u"Twilio's answer never came after %1 attempts (it may have "
                                  "been sent): %2"_s.arg(job.attempts).arg(twilio.errorText())
                                : u"Gave up after %1 attempts: %2"_s.arg(job.attempts)
                                      .arg(twilio.errorText());
                        report.outcome = JobOutcome::fail(message.errorText);
                        break;
                    }
                    // Never processed: queued again. Unknown: stays sending, so the next
                    // attempt reconciles before it sends.
                    message.status = twilio.kind == Kind::Transient ? u"queued"_s : u"sending"_s;
                    message.errorText = u"Retrying: "_s + twilio.errorText();
                    report.outcome = JobOutcome::retry(twilio.errorText());
                    break;
                }
                Result<std::optional<Message>> saved =
                    MessageStore::updateDeliveryReturning(db, message);
                if (!saved) {
                    if (isUniqueViolation(saved.error())) {
                        // The sid is another message's already (a reconciliation mismatch).
                        return ApiError::conflict(u"Twilio message %1 is recorded on another "
                                                  "message."_s.arg(twilio.sid));
                    }
                    return saved.error();
                }
                if (!saved.value()) {
                    report.outcome = JobOutcome::done(); // the message was deleted meanwhile
                    return report;
                }
                message = *saved.value();
                // The job's outcome in the same transaction (one commit for both), and in the
                // same statement the message.updated event.
                const NewEvent updated{message.teamId, u"message.updated"_s, messageJson(message)};
                Result<bool> kept = JobRunner::applyOutcome(db, job, report.outcome, &updated);
                if (!kept) {
                    return kept.error();
                }
                if (!kept.value()) {
                    // Another worker took the job over (this lease expired): it reconciles and
                    // records the delivery; this attempt's write, made from what it read before
                    // the send, is rolled back rather than laid over that.
                    return ApiError::conflict(u"the delivery job's lease expired before its "
                                              "outcome was recorded"_s);
                }
                report.message = message;
                return report;
            });
        },
        this, [plan, done](Result<DeliveryReport> report) {
            if (!report) {
                DeliveryReport failed;
                failed.outcome = JobOutcome::retry(u"recording the delivery failed: "_s
                                                   + report.error().detail);
                failed.message = plan->message;
                return done(failed);
            }
            done(report.value());
        });
}
