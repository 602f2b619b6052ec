// SPDX-License-Identifier: MIT
#pragma once
// The voice use cases: the call log kept from Twilio's voice webhooks (an incoming call, how the
// ringing of the agents ended, the voicemail, status callbacks), outbound calls started by an
// editor (Twilio rings the agent's phone, then connects the contact), and the team's call list.
//
// Each webhook step is one transaction, serialised per CallSid, and committed before its answer
// is made. Call states only move forward (CallState), so repeated and late callbacks are
// harmless; every change records `call.updated` with the call.

#include "core/result.h"
#include "domain/calls/calltypes.h"
#include "domain/page.h"

#include <QObject>

#include <functional>

class Database;
class SecretStore;
class TwilioRestClient;

// How to answer an incoming call: ring `agents`, or straight to voicemail when there are none.
struct IncomingPlan
{
    QString callId;
    QString callerId; // shown to the agents
    QStringList agents;
};

// How to answer the end of a <Dial>.
enum class AfterDial { Hangup, Voicemail };
struct DialOutcome
{
    AfterDial next = AfterDial::Hangup;
    QString callId;
};

// How to answer an outbound call's agent leg once the agent picked up: dial `contact`.
struct ConnectPlan
{
    QString callId;
    QString contact;  // empty: nothing to connect (unknown call), hang up
    QString callerId; // the inbox's number
};

// Where an outbound call's callbacks go: PUBLIC_URL + the voice webhook paths.
struct OutboundUrls
{
    QString connect; // …/voice/connect (the callId query is added)
    QString status;  // …/voice/status
};

class CallService : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Reply = std::function<void(Result<T>)>;

    // `secrets` and `twilio` must outlive the service.
    CallService(Database *db, const SecretStore *secrets, TwilioRestClient *twilio,
                OutboundUrls urls, QObject *parent = nullptr);

    // Webhooks (already verified).
    void incoming(const VoiceInbox &inbox, const CallWebhook &hook, Reply<IncomingPlan> done);
    void dialEnded(const VoiceInbox &inbox, const CallWebhook &hook, Reply<DialOutcome> done);
    void recording(const VoiceInbox &inbox, const CallWebhook &hook, Reply<Done> done);
    void statusChanged(const VoiceInbox &inbox, const CallWebhook &hook, Reply<Done> done);
    void agentAnswered(const VoiceInbox &inbox, const CallWebhook &hook, Reply<ConnectPlan> done);

    // An editor calls the conversation's contact from a voice inbox (the conversation's, else
    // the team's first): Twilio rings `agentNumber` (empty: the inbox's first agent) and, once
    // answered, connects the contact. Answers after Twilio accepted the call (or refused it).
    void startOutbound(const QString &actorId, const QString &teamId,
                       const QString &conversationId, const QString &agentNumber,
                       Reply<Call> done);
    // Viewer: the team's calls, newest first.
    void list(const QString &actorId, const QString &teamId, const PageRequest &page,
              Reply<Page<Call>> done);

private:
    Database *m_db;
    const SecretStore *m_secrets;
    TwilioRestClient *m_twilio;
    OutboundUrls m_urls;
};
