// SPDX-License-Identifier: MIT
#pragma once
// Delivers outbound messages through Twilio: the handler of the `message.send` job, and the
// compatible API's immediate send, which runs the same first attempt and answers with it.
//
// One attempt: (1) in a committed transaction, check the message is still to be sent, that the
// contact has not opted out and that its inbox has credentials, and mark it `sending`; (2) post
// to Messages.json; (3) record the answer: `sent` with Twilio's sid, `failed` with Twilio's code
// and text for a permanent refusal, back to `queued` for a retry when Twilio never processed the
// request (429, no connection), or left `sending` when the outcome is unknown (5xx, timeout).
// A message found `sending` at the start of an attempt had such an unknown outcome (or its worker
// died mid-request): the attempt first asks Twilio what was sent (reconciliation) and adopts the
// message it finds instead of sending it again. Each step's change is announced with
// `message.updated`.

#include "channels/twilio/twiliomessageclient.h"
#include "domain/messages/messagetypes.h"
#include "jobs/jobrunner.h"

#include <QObject>

class Database;
class MediaLinks;
class SecretStore;
struct Config;

// What one attempt came to, for the immediate send's answer.
struct DeliveryReport
{
    JobOutcome outcome;
    std::optional<Message> message; // as recorded
    TwilioSendOutcome twilio;       // Twilio's answer, when the attempt got that far
    bool claimed = true;            // false: the job was no longer pending (someone else has it)
};

class TwilioDelivery : public QObject
{
    Q_OBJECT
public:
    // `links` turns our own stored media into signed short-lived URLs Twilio can fetch.
    TwilioDelivery(Database *db, const SecretStore *secrets, const Config *config,
                   const MediaLinks *links, TwilioMessageClient *client, JobRunner *runner,
                   QObject *parent = nullptr);

    static constexpr auto JobKind = "message.send";

    // The job handler (registered with the runner by the constructor).
    void handle(const ClaimedJob &job, JobFinish finish);
    // Claims the message's send job now and runs its first attempt; `done` gets the report after
    // the outcome is recorded.
    void sendNow(const QString &messageId, std::function<void(DeliveryReport)> done);

private:
    struct Plan;
    void attempt(const ClaimedJob &job, std::function<void(DeliveryReport)> done);
    void send(const ClaimedJob &job, std::shared_ptr<Plan> plan,
              std::function<void(DeliveryReport)> done);
    void reconcile(const ClaimedJob &job, std::shared_ptr<Plan> plan,
                   std::function<void(DeliveryReport)> done);
    void record(const ClaimedJob &job, std::shared_ptr<Plan> plan, TwilioSendOutcome twilio,
                std::function<void(DeliveryReport)> done);

    Database *m_db;
    const SecretStore *m_secrets;
    const Config *m_config;
    const MediaLinks *m_links;
    TwilioMessageClient *m_client;
    JobRunner *m_runner;
};
