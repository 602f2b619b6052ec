// SPDX-License-Identifier: MIT
#pragma once
// What route modules need, handed to each `register...Routes` function.

#include "api/readcache.h"
#include "auth/tokenservice.h"
#include "config/config.h"
#include "http/responder.h"

#include <optional>

class AccountService;
class ContactService;
class ConversationService;
class Database;
class RecentClients;
class InboxService;
class MessageService;
class NoteService;
class SearchService;
class SecretStore;
class SettingsService;
class TwilioRestClient;
class TwilioWebhookGate;
class InboxDirectory;
class JobRunner;
class TwilioDelivery;
class InboundMessageService;
class TwilioStatusCallbacks;
class MediaService;
class MediaLinks;
class MediaFetcher;
class TwilioNumberService;
class CallService;
class GoogleSignIn;

struct ServerContext
{
    const Config *config = nullptr;
    Database *db = nullptr;
    const TokenService *tokens = nullptr;
    AccountService *accounts = nullptr;
    bool *ready = nullptr; // false while shutting down (readyz answers 503)
    const SecretStore *secrets = nullptr; // inbox credentials (<dataDir>/secrets)
    InboxService *inboxes = nullptr;
    SettingsService *settings = nullptr;
    SearchService *search = nullptr;
    ContactService *contacts = nullptr;
    ConversationService *conversations = nullptr;
    MessageService *messages = nullptr;
    NoteService *notes = nullptr;
    RecentClients *recentClients = nullptr; // who token-less sockets are (auth/recentclients.h)
    ReadCache *readCache = nullptr; // answers of repeated reads (api/readcache.h)
    TwilioRestClient *twilio = nullptr; // Twilio's REST API (lives on the main thread)
    TwilioWebhookGate *twilioGate = nullptr; // signature + inbox lookup of Twilio webhooks
    InboxDirectory *inboxDirectory = nullptr; // cached webhook → inbox lookups (invalidate on change)
    JobRunner *jobs = nullptr; // the durable job queue's runner (server/jobs/jobrunner.h)
    TwilioDelivery *delivery = nullptr; // outbound messages through Twilio (the immediate send)
    InboundMessageService *inboundMessages = nullptr; // inbound webhooks → messages
    TwilioStatusCallbacks *statusCallbacks = nullptr; // delivery status webhooks
    MediaService *media = nullptr; // stored message media (domain/media/mediaservice.h)
    const MediaLinks *mediaLinks = nullptr; // signed short-lived media links (/media/{token})
    MediaFetcher *mediaFetcher = nullptr; // the media.fetch job (channels/twilio/mediafetcher.h)
    TwilioNumberService *twilioNumbers = nullptr; // the original's per-user Twilio number
    CallService *calls = nullptr; // the voice call log and outbound calls
    GoogleSignIn *google = nullptr; // "Sign in with Google" (domain/accounts/googlesignin.h)
};

// The caller's identity from `Authorization: Bearer`; answers 401 itself and returns nullopt when
// the token is missing, malformed or expired.
[[nodiscard]] std::optional<Principal> authenticate(const ServerContext &context,
                                                    const ResponderPtr &responder);

// Notes that this client (address, Origin, User-Agent) proved to be this user, so a token-less
// socket from it can be recognised (auth/recentclients.h). authenticate() does it already.
void rememberClient(const ServerContext &context, const HttpRequest &request,
                    const Principal &principal);

// What a write route needs first: who calls (401 otherwise) and the JSON object body (400
// otherwise). Answers the failure itself and returns nullopt.
struct AuthenticatedBody
{
    Principal principal;
    QJsonObject body;
};
[[nodiscard]] std::optional<AuthenticatedBody> authenticatedBody(const ServerContext &context,
                                                                 const ResponderPtr &responder);

// The body as a JSON object, or nullopt after answering 400.
[[nodiscard]] std::optional<QJsonObject> jsonBody(const ResponderPtr &responder);

// A read route's cache step (api/readcache.h): answers this GET from the cache and returns
// nullopt when the caller's stored answer is still current; otherwise returns the ticket that
// keepAndSend() stores the route's answer with. Call it after authenticate().
[[nodiscard]] std::optional<ReadCache::Ticket> answerFromCache(const ServerContext &context,
                                                               const Principal &principal,
                                                               const ResponderPtr &responder);
// Sends `json` as the 200 answer and keeps it for the next identical read.
void keepAndSend(const ServerContext &context, const ReadCache::Ticket &ticket,
                 const ResponderPtr &responder, QByteArray json);
