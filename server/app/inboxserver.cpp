// SPDX-License-Identifier: MIT
#include "inboxserver.h"

#include "api/compat/compatauthroutes.h"
#include "api/compat/compatinboxroutes.h"
#include "api/compat/compatsettingsroutes.h"
#include "api/compat/compattwilioroutes.h"
#include "api/operationsroutes.h"
#include "api/readcache.h"
#include "api/servercontext.h"
#include "api/webhooks/twiliovoiceroutes.h"
#include "api/v1/authroutes.h"
#include "api/v1/callroutes.h"
#include "api/v1/contactroutes.h"
#include "api/v1/conversationroutes.h"
#include "api/v1/inboxroutes.h"
#include "api/v1/mediaroutes.h"
#include "api/v1/messageroutes.h"
#include "api/v1/noteroutes.h"
#include "api/v1/searchroutes.h"
#include "api/v1/settingsroutes.h"
#include "api/v1/teamroutes.h"
#include "auth/loginthrottle.h"
#include "auth/recentclients.h"
#include "auth/tokenservice.h"
#include "channels/twilio/inboxdirectory.h"
#include "channels/twilio/mediafetcher.h"
#include "channels/twilio/twilioenvinbox.h"
#include "api/webhooks/twiliomessageroutes.h"
#include "channels/twilio/twiliodelivery.h"
#include "channels/twilio/twiliomessageclient.h"
#include "channels/twilio/twiliorestclient.h"
#include "channels/twilio/twiliostatuscallbacks.h"
#include "domain/inbound/inboundmessageservice.h"
#include "jobs/jobrunner.h"
#include "jobs/maintenancejobs.h"
#include "jobs/snoozewaker.h"
#include "channels/twilio/twiliowebhookgate.h"
#include "config/secretstore.h"
#include "core/logging.h"
#include "core/metrics.h"
#include "domain/accounts/accountservice.h"
#include "domain/accounts/googlesignin.h"
#include "auth/google/googleauthclient.h"
#include "api/compat/compatgoogleroutes.h"
#include "api/v1/googleauthroutes.h"
#include "domain/calls/callservice.h"
#include "domain/contacts/contactservice.h"
#include "domain/conversations/conversationservice.h"
#include "domain/inboxes/inboxservice.h"
#include "domain/inboxes/twilionumberservice.h"
#include "domain/media/medialinks.h"
#include "domain/media/mediaservice.h"
#include "domain/messages/messageservice.h"
#include "domain/notes/noteservice.h"
#include "domain/search/searchservice.h"
#include "domain/settings/settingsservice.h"
#include "http/httpworkers.h"
#include "http/router.h"
#include "realtime/realtimeendpoint.h"
#include "realtime/realtimeservice.h"
#include "storage/accountstore.h"
#include "storage/database.h"
#include "storage/mediastore.h"
#include "storage/migrator.h"

#include <QPointer>
#include <QThreadPool>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {

// PostgreSQL: the grouped-write threads of a `worker` process (Database::open).
constexpr int kWorkerGroupThreads = 2;

} // namespace

struct InboxServer::Private
{
    Config config;
    std::unique_ptr<Database> db;
    std::unique_ptr<TokenService> tokens;
    std::unique_ptr<LoginThrottle> throttle;
    QThreadPool cpu;
    Router router;
    AccountService *accounts = nullptr;
    std::unique_ptr<SecretStore> secrets;
    std::unique_ptr<MediaStore> mediaStore;
    std::unique_ptr<MediaLinks> mediaLinks;
    HttpWorkers *http = nullptr;
    RecentClients recentClients;
    std::unique_ptr<ReadCache> readCache;
    std::unique_ptr<RealtimeEndpoint> realtime;
    RealtimeService *realtimeService = nullptr; // lives on the real-time thread
    ServerContext context;
    bool ready = false;
    quint16 port = 0;
    bool hasUsers = false;
    bool stopping = false;
};

InboxServer::InboxServer(Config config, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>())
{
    d->config = std::move(config);
    // bcrypt is CPU-bound: one thread per core, so logins queue instead of starving the server.
    d->cpu.setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
}

InboxServer::~InboxServer()
{
    if (d->db) {
        d->db->close();
    }
}

Status InboxServer::start(ServerRoles roles)
{
    const bool migrate = roles.migrate;
    const Config &config = d->config;
    // A worker's grouped writes are its jobs' alone: fewer partitions make bigger groups, and so
    // fewer BEGIN/COMMIT round trips per delivery (a serving instance keeps the default for its
    // webhooks).
    const int groupThreads = roles.http ? 0 : kWorkerGroupThreads;
    Result<std::unique_ptr<Database>> db =
        Database::open(config.databaseUrl, config.dbThreads, groupThreads);
    if (!db) {
        return db.error();
    }
    d->db = std::move(db.value());

    const Dialect dialect = d->db->dialect();
    Result<QStringList> applied = d->db->runBlocking<QStringList>(
        DbAccess::Write, [dialect, migrate](DbConnection &c) -> Result<QStringList> {
            Migrator migrator(dialect);
            if (!migrate) {
                return QStringList();
            }
            return migrator.apply(c.database());
        });
    if (!applied) {
        return applied.error();
    }
    Result<qint64> users = d->db->runBlocking<qint64>(
        DbAccess::Read, [](DbConnection &c) { return AccountStore::countUsers(c); });
    d->hasUsers = users.ok() && users.value() > 0;

    d->tokens = std::make_unique<TokenService>(config.jwtSecret, config.accessTokenTtlSeconds,
                                               config.refreshTokenTtlSeconds);
    d->throttle = std::make_unique<LoginThrottle>(config.loginWindowSeconds,
                                                  config.loginMaxFailuresPerAccount,
                                                  config.loginMaxFailuresPerIp);
    d->accounts = new AccountService(d->db.get(), d->tokens.get(), &d->cpu,
                                     AccountPolicy{config.signupMode, config.defaultTeamName,
                                                   config.bcryptCost, config.invitationTtlSeconds},
                                     d->throttle.get(), this);
    d->context = ServerContext{&d->config, d->db.get(), d->tokens.get(), d->accounts, &d->ready};
    d->context.contacts = new ContactService(d->db.get(), &d->cpu, this);
    d->context.google = new GoogleSignIn(
        d->db.get(), new GoogleAuthClient(GoogleSettings::fromConfig(config), this), d->accounts, this);
    d->secrets = std::make_unique<SecretStore>(SecretStore::defaultFolder(config.dataDir));
    d->context.secrets = d->secrets.get();
    d->context.inboxes = new InboxService(d->db.get(), d->secrets.get(), this);
    d->context.settings = new SettingsService(d->db.get(), this);
    d->context.search = new SearchService(d->db.get(), this);
    d->context.conversations = new ConversationService(d->db.get(), this);
    d->context.messages = new MessageService(d->db.get(), this);
    d->context.notes = new NoteService(d->db.get(), this);
    d->context.recentClients = &d->recentClients;
    d->readCache = std::make_unique<ReadCache>(
            [db = d->db.get()] { return db->dataGeneration(); },
            ReadCache::Limits{qsizetype(d->config.readCacheBytes), d->config.readCacheMaxAgeMs});
    d->context.readCache = d->readCache.get();
    d->context.twilio = new TwilioRestClient(config.twilioApiBase, this);
    d->context.inboxDirectory = new InboxDirectory(d->db.get(), d->secrets.get(), &d->config, this);
    d->context.twilioGate = new TwilioWebhookGate(d->context.inboxDirectory, config.publicUrl, this);
    d->mediaStore = std::make_unique<MediaStore>(MediaStore::defaultFolder(config.dataDir));
    d->mediaLinks = std::make_unique<MediaLinks>(config.publicUrl, config.jwtSecret);
    d->context.mediaLinks = d->mediaLinks.get();
    d->context.media = new MediaService(d->db.get(), d->mediaStore.get(), this);
    d->context.mediaFetcher = new MediaFetcher(d->db.get(), d->secrets.get(), d->mediaStore.get(),
                                               d->context.twilio, config.twilioApiBase,
                                               config.mediaMaxBytes, this);
    d->context.twilioNumbers = new TwilioNumberService(d->db.get(), d->secrets.get(),
                                                       config.jwtSecret,
                                                       TwilioNumberService::DefaultCodeTtlSeconds,
                                                       this);
    {
        QString hooks = config.publicUrl;
        while (hooks.endsWith(u'/')) {
            hooks.chop(1);
        }
        hooks += u"/api/v1/webhooks/twilio/voice"_s;
        d->context.calls = new CallService(d->db.get(), d->secrets.get(), d->context.twilio,
                                           OutboundUrls{hooks + u"/connect"_s, hooks + u"/status"_s},
                                           this);
    }
    connect(d->context.inboxes, &InboxService::inboxesChanged, d->context.inboxDirectory,
            &InboxDirectory::invalidate, Qt::DirectConnection);
    // Durable jobs: the runner (woken by every commit that enqueues one) and its handlers.
    JobRunnerSettings jobSettings;
    jobSettings.leaseMs = config.jobLeaseMs;
    jobSettings.pollMs = config.schedulerPollMs;
    jobSettings.sweepMs = std::min(jobSettings.sweepMs, std::max(500, config.jobLeaseMs / 2));
    d->context.jobs = new JobRunner(d->db.get(), jobSettings, this);
    connect(d->db.get(), &Database::jobsCommitted, d->context.jobs, &JobRunner::wake);
    d->context.delivery = new TwilioDelivery(d->db.get(), d->secrets.get(), &d->config,
                                             d->context.mediaLinks,
                                             new TwilioMessageClient(config.twilioApiBase, this),
                                             d->context.jobs, this);
    d->context.jobs->registerHandler(
        QString::fromLatin1(InboundMessageService::MediaJobKind),
        [fetcher = d->context.mediaFetcher](const ClaimedJob &job, JobFinish finish) {
            fetcher->run(job, std::move(finish));
        });
    (new SnoozeWaker(d->db.get(), this))->registerWith(d->context.jobs);
    (new MaintenanceJobs(d->db.get(),
                         MaintenanceSettings{
                             .eventRetentionSeconds = config.eventRetentionSeconds,
                             .webhookReceiptRetentionSeconds = config.webhookReceiptRetentionSeconds,
                             .intervalSeconds = config.maintenanceIntervalSeconds},
                         this))
        ->registerWith(d->context.jobs);
    d->context.inboundMessages = new InboundMessageService(d->db.get(), this);
    d->context.statusCallbacks = new TwilioStatusCallbacks(d->db.get(), this);
    if (TwilioEnvInbox::configured(config)) {
        const SecretStore *secrets = d->secrets.get();
        Status ensured = d->db->runBlocking<Done>(DbAccess::Write, [&config, secrets](DbConnection &c) {
            return runInTransaction<Done>(c, [&] { return TwilioEnvInbox::ensure(c, config, *secrets); });
        });
        if (!ensured) {
            qCWarning(lcTwilio) << "could not set up the TWILIO_* inboxes:" << ensured.error().detail;
        }
    }

    registerOperationsRoutes(d->router, d->context);
    registerAuthRoutes(d->router, d->context);
    registerTeamRoutes(d->router, d->context);
    registerContactRoutes(d->router, d->context);
    registerInboxRoutes(d->router, d->context);
    registerSettingsRoutes(d->router, d->context);
    registerSearchRoutes(d->router, d->context);
    registerConversationRoutes(d->router, d->context);
    registerMessageRoutes(d->router, d->context);
    registerNoteRoutes(d->router, d->context);
    registerCompatAuthRoutes(d->router, d->context);
    registerCompatInboxRoutes(d->router, d->context);
    registerCompatSettingsRoutes(d->router, d->context);
    registerCompatTwilioRoutes(d->router, d->context);
    registerMediaRoutes(d->router, d->context);
    registerTwilioVoiceRoutes(d->router, d->context);
    registerTwilioMessageRoutes(d->router, d->context);
    registerCallRoutes(d->router, d->context);
    registerGoogleAuthRoutes(d->router, d->context);
    registerCompatGoogleRoutes(d->router, d->context);

    if (!roles.http) {
        // A worker: no listener, no real-time; its events reach the serving instances through
        // the database (NOTIFY on PostgreSQL, their poll on SQLite).
        d->context.jobs->start();
        d->ready = true;
        return Done{};
    }

    // Real-time: Socket.IO at /socket.io/ on its own thread, fed by the outbox after each commit.
    EngineIoSettings engine;
    engine.pingIntervalMs = config.socketPingIntervalMs;
    engine.pingTimeoutMs = config.socketPingTimeoutMs;
    engine.maxPayload = config.socketMaxPayload;
    engine.maxSessions = config.socketMaxConnections;
    d->realtime = std::make_unique<RealtimeEndpoint>(engine, SocketIoSettings{});
    d->realtime->registerRoutes(d->router);
    {
        RealtimeEndpoint *realtime = d->realtime.get();
        Database *db = d->db.get();
        const TokenService *tokens = d->tokens.get();
        RecentClients *recent = &d->recentClients;
        const RealtimeSettings settings{config.socketRecoveryWindowMs};
        RealtimeService *service = nullptr;
        QMetaObject::invokeMethod(realtime->engine(), [&] {
            service = new RealtimeService(realtime->io(), db, tokens, recent, settings, realtime->engine());
            service->start();
        }, Qt::BlockingQueuedConnection);
        d->realtimeService = service;
    }
    connect(d->db.get(), &Database::eventsCommitted, this, [service = d->realtimeService](qint64 upTo) {
        Metrics::instance().countEvent("outbox_commit");
        service->notifyCommitted(upTo);
    });

    d->http = new HttpWorkers(HttpSettings{config.maxBodyBytes, config.corsOrigins,
                                           config.accessLog, config.metricsLoopbackOnly,
                                           {d->realtime->webSocketEndpoint()}},
                              &d->router, this);
    if (Status listening = d->http->start(config.host, config.port, config.httpThreads); !listening) {
        return listening.error();
    }
    d->port = d->http->port();
    if (roles.worker) {
        d->context.jobs->start();
    }
    d->ready = true;
    return Done{};
}

quint16 InboxServer::port() const
{
    return d->port;
}

bool InboxServer::hasUsers() const
{
    return d->hasUsers;
}

void InboxServer::countRealtimeClients(QObject *context, std::function<void(int)> done) const
{
    const QPointer<QObject> guard(context);
    const auto answer = [guard, done = std::move(done)](int count) {
        if (guard) {
            QMetaObject::invokeMethod(guard, [done, count] { done(count); });
        }
    };
    if (!d->realtime || d->stopping) {
        answer(0);
        return;
    }
    d->realtime->post([engine = d->realtime->engine(), answer] { answer(engine->sessionCount()); });
}

void InboxServer::stop(int graceMs)
{
    if (d->stopping) {
        return;
    }
    d->stopping = true;
    d->ready = false;
    if (d->context.jobs) {
        // Jobs in flight finish or, if the process ends first, are retried after their lease.
        d->context.jobs->stop();
    }
    const auto finish = [this] {
        if (d->http) {
            d->http->stop();
        }
        if (d->realtime) {
            d->realtime->stop();
        }
        if (d->db) {
            d->db->close();
        }
        qCInfo(lcApp) << "stopped";
        Q_EMIT stopped();
    };
    if (!d->http || d->http->requestsInFlight() == 0) {
        if (d->http) {
            d->http->stopListening();
        }
        finish();
        return;
    }
    d->http->stopListening();
    if (d->realtime) {
        // Held long-polls count as requests in flight: answer them now.
        EngineIoServer *engine = d->realtime->engine();
        QMetaObject::invokeMethod(engine, [engine] { engine->closeAll(); });
    }
    qCInfo(lcApp) << "waiting for" << d->http->requestsInFlight() << "request(s) in flight";
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    auto once = std::make_shared<bool>(false);
    const auto done = [finish, once, timer] {
        if (!*once) {
            *once = true;
            timer->stop();
            finish();
        }
    };
    connect(d->http, &HttpWorkers::idle, this, done);
    connect(timer, &QTimer::timeout, this, done);
    timer->start(graceMs);
    // The last request may have ended before draining began (then no idle() comes).
    if (d->http->requestsInFlight() == 0) {
        done();
    }
}
