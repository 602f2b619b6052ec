// SPDX-License-Identifier: MIT
#pragma once
// The server's settings, resolved as flags > environment > config file > defaults
// (ARCHITECTURE.md "Configuration and secrets"). Loaded once at start-up, then read-only.

#include "core/result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

class QCommandLineParser;

enum class SignupMode { Invite, Open, Closed };

struct Config
{
    // Where we listen and how we are reached.
    QString host = QStringLiteral("0.0.0.0");
    quint16 port = 5000;
    QString publicUrl;            // PUBLIC_URL; default http://localhost:<port>
    QStringList corsOrigins;      // CORS_ORIGIN, comma separated; "*" allows any origin

    // Storage.
    QString dataDir;              // DATA_DIR; default: the platform's app-data folder
    QString databaseUrl;          // DATABASE_URL, normalised: sqlite:///abs/path or postgresql://...

    // Accounts.
    QByteArray jwtSecret;         // JWT_SECRET; generated once and kept in <dataDir>/jwt-secret
    bool jwtSecretGenerated = false;
    int accessTokenTtlSeconds = 3600;          // JWT_EXPIRES_IN ("1h", "15m", "3600", "7d")
    int refreshTokenTtlSeconds = 30 * 86400;   // REFRESH_TOKEN_TTL (same forms)
    int bcryptCost = 12;                       // BCRYPT_COST, 4..31
    SignupMode signupMode = SignupMode::Invite; // SIGNUP_MODE invite|open|closed
    QString defaultTeamName = QStringLiteral("My Team"); // DEFAULT_TEAM_NAME
    int invitationTtlSeconds = 7 * 86400;      // INVITATION_TTL

    // Login throttling: failures counted in a sliding window, per account and per client IP.
    int loginWindowSeconds = 900;              // LOGIN_THROTTLE_WINDOW
    int loginMaxFailuresPerAccount = 5;        // LOGIN_MAX_FAILURES_PER_ACCOUNT
    int loginMaxFailuresPerIp = 20;            // LOGIN_MAX_FAILURES_PER_IP

    // HTTP limits and behaviour.
    qint64 maxBodyBytes = 1024 * 1024;         // MAX_BODY_BYTES
    bool metricsLoopbackOnly = false;          // METRICS_LOOPBACK_ONLY
    bool accessLog = true;                     // ACCESS_LOG (0/false turns it off)
    int dbThreads = 0;                         // DB_THREADS; 0 = per-dialect default
    int httpThreads = 0;                       // HTTP_THREADS; 0 = one per core, plus one
    qint64 readCacheBytes = 4 * 1024 * 1024;   // READ_CACHE_SIZE; 0 = no read cache
    int readCacheMaxAgeMs = 2000;              // READ_CACHE_MAX_AGE_MS

    // Twilio and Google: read now so the original's variable names are honoured; used by the
    // channel and sign-in issues.
    QString twilioAccountSid;     // TWILIO_ACCOUNT_SID
    QByteArray twilioAuthToken;   // TWILIO_AUTH_TOKEN
    QString twilioApiBase = QStringLiteral("https://api.twilio.com"); // TWILIO_API_BASE
    QString twilioSmsFrom;        // TWILIO_SMS_FROM
    QString twilioWhatsappFrom;   // TWILIO_WHATSAPP_FROM
    QString googleClientId;       // GOOGLE_CLIENT_ID
    QByteArray googleClientSecret; // GOOGLE_CLIENT_SECRET
    QString googleCallbackUrl;    // GOOGLE_CALLBACK_URL
    QString googleDiscoveryUrl = QStringLiteral(
        "https://accounts.google.com/.well-known/openid-configuration"); // GOOGLE_DISCOVERY_URL
    QStringList googleAllowedDomains; // GOOGLE_ALLOWED_DOMAINS: accepted `hd`, lower case
    int schedulerPollMs = 5000;   // SCHEDULER_POLL_MS: the job runner's slow poll
    int jobLeaseMs = 60000;       // JOB_LEASE_MS: how long a claimed job is its worker's
    qint64 mediaMaxBytes = 5 * 1024 * 1024; // MEDIA_MAX_BYTES: inbound media kept per message

    // Maintenance (server/jobs/maintenancejobs.h): how long outbox events (and finished jobs and
    // dead sign-ins) and webhook receipts are kept, and how often the prune runs.
    int eventRetentionSeconds = 7 * 86400;           // EVENT_RETENTION, >= the recovery window
    int webhookReceiptRetentionSeconds = 30 * 86400; // WEBHOOK_RECEIPT_RETENTION
    int maintenanceIntervalSeconds = 3600;           // MAINTENANCE_INTERVAL

    // Real-time (Socket.IO).
    int socketPingIntervalMs = 25000;    // SOCKET_PING_INTERVAL_MS
    int socketPingTimeoutMs = 20000;     // SOCKET_PING_TIMEOUT_MS
    int socketMaxPayload = 1000000;      // SOCKET_MAX_PAYLOAD
    int socketMaxConnections = 10000;    // SOCKET_MAX_CONNECTIONS
    int socketRecoveryWindowMs = 120000; // SOCKET_RECOVERY_WINDOW_MS

    QString configFile;           // the file that was read, if any

    [[nodiscard]] bool isSqlite() const { return databaseUrl.startsWith(QLatin1String("sqlite:")); }
    [[nodiscard]] bool isPostgres() const { return !isSqlite(); }
};

// Declares every flag on the parser (used by `serve`, `worker`, `migrate`, `user`, ...).
void addConfigOptions(QCommandLineParser &parser);

// The text appended to --help: every environment variable with its meaning and default.
[[nodiscard]] QString environmentHelp();

// Resolves the configuration. `env` is passed in (not read from the process) so tests can drive it.
// Creates the data folder if needed and checks it is writable; generates and stores the JWT
// secret if none is given (only when `mayCreateSecret`). Errors are human sentences.
[[nodiscard]] Result<Config> loadConfig(const QCommandLineParser &parser,
                                        const QProcessEnvironment &env,
                                        bool mayCreateSecret = true);

// Parses "3600", "90s", "15m", "1h", "7d" into seconds; nullopt when malformed or <= 0.
[[nodiscard]] std::optional<int> parseDuration(const QString &text);

// The error every configuration problem is reported as: status 400, type "bad-config", with
// `detail` a one-line sentence naming the setting, the value and what is accepted.
[[nodiscard]] ApiError configError(const QString &detail);

// Every environment variable (and config-file key) the loader reads, in help order. INBOX_CONFIG,
// which names the config file itself, is not among them.
[[nodiscard]] QStringList configVariableNames();

// Normalises DATABASE_URL: sqlite:///abs/path, sqlite:relative (made absolute), a bare path
// ending in .db/.sqlite, postgres:// or postgresql://. Errors name what is wrong.
[[nodiscard]] Result<QString> normaliseDatabaseUrl(const QString &url, const QString &dataDir);
