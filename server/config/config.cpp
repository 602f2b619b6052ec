// SPDX-License-Identifier: MIT
#include "config.h"

#include "config/secretfile.h"
#include "core/crypto.h"
#include "core/logging.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <QUrl>
#include <QUrlQuery>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

const QString AppName = u"inbox-central"_s;
const QString ConfigFileName = u"inbox-central.conf"_s;
const QString DatabaseFileName = u"inbox-central.db"_s;
const QString JwtSecretFileName = u"jwt-secret"_s;
const QString ConfigFlag = u"config"_s;
const QString ConfigEnv = u"INBOX_CONFIG"_s;

constexpr int MinJwtSecretBytes = 32;
constexpr int GeneratedJwtSecretBytes = 48;

// One row per setting: its environment name (also its config-file key), its flag if it has one,
// and the help text. `switchValue` marks a flag that takes no value and stands for that value.
struct Setting
{
    QString name;
    QString flag;
    QString valueName;
    QString meaning;
    QString defaultText;
    QString switchValue;
    bool secret = false;
    QString switchHelp = {}; // the flag's help when it is a switch
};

QString durationText(int seconds)
{
    if (seconds % 86400 == 0) {
        return QString::number(seconds / 86400) + u'd';
    }
    if (seconds % 3600 == 0) {
        return QString::number(seconds / 3600) + u'h';
    }
    if (seconds % 60 == 0) {
        return QString::number(seconds / 60) + u'm';
    }
    return QString::number(seconds) + u's';
}

// While the loader runs, QStandardPaths must name our folders after the product, even when the
// caller has no QCoreApplication (tools, tests) and so no application name.
class AppNameScope
{
public:
    AppNameScope()
    {
        if (QCoreApplication::applicationName().isEmpty()) {
            QCoreApplication::setApplicationName(AppName);
            m_set = true;
        }
    }
    ~AppNameScope()
    {
        if (m_set) {
            QCoreApplication::setApplicationName(QString());
        }
    }
    AppNameScope(const AppNameScope &) = delete;
    AppNameScope &operator=(const AppNameScope &) = delete;

private:
    bool m_set = false;
};

QList<Setting> settingsTable()
{
    const Config d;
    const QString dataHome = []() -> QString {
        const AppNameScope scope;
        return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    }();
    return {
        {u"HOST"_s, u"host"_s, u"address"_s, u"Address to listen on."_s, d.host, {}},
        {u"PORT"_s, u"port"_s, u"port"_s, u"TCP port to listen on (1-65535)."_s,
         QString::number(d.port), {}},
        {u"PUBLIC_URL"_s, u"public-url"_s, u"url"_s,
         u"The http(s) URL clients reach this server at (links, OAuth, Twilio callbacks)."_s,
         u"http://localhost:<PORT>"_s, {}},
        {u"CORS_ORIGIN"_s, u"cors-origin"_s, u"origins"_s,
         u"Comma-separated browser origins allowed to call the API, or \"*\" for any."_s,
         u"none"_s, {}},
        {u"DATA_DIR"_s, u"data-dir"_s, u"path"_s,
         u"Folder for the database, uploads and the generated JWT secret."_s, dataHome, {}},
        {u"DATABASE_URL"_s, u"database-url"_s, u"url"_s,
         u"sqlite:///path/file.db or postgresql://user:password@host:5432/db (prefer the "
         "environment for a URL with a password: flags are visible to other users)."_s,
         u"sqlite:///<DATA_DIR>/"_s + DatabaseFileName, {}},
        {u"JWT_SECRET"_s, {}, {}, u"Key that signs sign-in tokens, at least 32 bytes."_s,
         u"generated once into <DATA_DIR>/"_s + JwtSecretFileName, {}, true},
        {u"JWT_EXPIRES_IN"_s, u"jwt-expires-in"_s, u"duration"_s,
         u"Lifetime of an access token (3600, 90s, 15m, 1h, 7d)."_s,
         durationText(d.accessTokenTtlSeconds), {}},
        {u"REFRESH_TOKEN_TTL"_s, {}, {}, u"Lifetime of a refresh token."_s,
         durationText(d.refreshTokenTtlSeconds), {}},
        {u"BCRYPT_COST"_s, u"bcrypt-cost"_s, u"cost"_s,
         u"bcrypt work factor for new password hashes (4-31)."_s,
         QString::number(d.bcryptCost), {}},
        {u"SIGNUP_MODE"_s, u"signup-mode"_s, u"mode"_s,
         u"Who may register: invite, open or closed."_s, u"invite"_s, {}},
        {u"DEFAULT_TEAM_NAME"_s, u"default-team-name"_s, u"name"_s,
         u"Name of the team created for a new user."_s, d.defaultTeamName, {}},
        {u"INVITATION_TTL"_s, {}, {}, u"How long an invitation stays valid."_s,
         durationText(d.invitationTtlSeconds), {}},
        {u"LOGIN_THROTTLE_WINDOW"_s, {}, {}, u"Window in which failed logins are counted."_s,
         durationText(d.loginWindowSeconds), {}},
        {u"LOGIN_MAX_FAILURES_PER_ACCOUNT"_s, {}, {}, u"Failed logins per account per window."_s,
         QString::number(d.loginMaxFailuresPerAccount), {}},
        {u"LOGIN_MAX_FAILURES_PER_IP"_s, {}, {}, u"Failed logins per client address per window."_s,
         QString::number(d.loginMaxFailuresPerIp), {}},
        {u"MAX_BODY_BYTES"_s, u"max-body-bytes"_s, u"size"_s,
         u"Largest request body accepted (1048576, 512kb, 10mb)."_s,
         QString::number(d.maxBodyBytes), {}},
        {u"METRICS_LOOPBACK_ONLY"_s, u"metrics-loopback-only"_s, {},
         u"Serve /metrics to loopback clients only (true/false)."_s,
         d.metricsLoopbackOnly ? u"true"_s : u"false"_s, u"true"_s, false,
         u"Serve /metrics to loopback clients only (sets METRICS_LOOPBACK_ONLY=true)."_s},
        {u"ACCESS_LOG"_s, u"no-access-log"_s, {}, u"Log one line per request (true/false)."_s,
         d.accessLog ? u"true"_s : u"false"_s, u"false"_s, false,
         u"Do not log one line per request (sets ACCESS_LOG=false)."_s},
        {u"DB_THREADS"_s, u"db-threads"_s, u"count"_s,
         u"Database worker threads; 0 picks a default for the database kind."_s,
         QString::number(d.dbThreads), {}},
        {u"HTTP_THREADS"_s, u"http-threads"_s, u"count"_s,
         u"HTTP threads sharing the port; 0 runs one per core plus one."_s,
         QString::number(d.httpThreads), {}},
        {u"READ_CACHE_SIZE"_s, {}, {},
         u"Memory for answers of repeated reads (inbox list, threads, pages, search), reused until the data changes; 0 turns it off."_s,
         QString::number(d.readCacheBytes), {}},
        {u"READ_CACHE_MAX_AGE_MS"_s, {}, {},
         u"Oldest cached answer served, in ms: bounds changes made outside the program (an import into a live database)."_s,
         QString::number(d.readCacheMaxAgeMs), {}},
        {u"TWILIO_ACCOUNT_SID"_s, {}, {}, u"Twilio account SID for the shared number."_s,
         u"none"_s, {}},
        {u"TWILIO_AUTH_TOKEN"_s, {}, {}, u"Twilio auth token (checks webhook signatures)."_s,
         u"none"_s, {}, true},
        {u"TWILIO_API_BASE"_s, {}, {}, u"Base URL of the Twilio REST API."_s, d.twilioApiBase,
         {}},
        {u"TWILIO_SMS_FROM"_s, {}, {}, u"Sender number for SMS."_s, u"none"_s, {}},
        {u"TWILIO_WHATSAPP_FROM"_s, {}, {}, u"Sender number for WhatsApp."_s, u"none"_s, {}},
        {u"GOOGLE_CLIENT_ID"_s, {}, {}, u"OAuth client id for \"Sign in with Google\"."_s,
         u"none (Google sign-in off)"_s, {}},
        {u"GOOGLE_CLIENT_SECRET"_s, {}, {}, u"OAuth client secret for Google sign-in."_s,
         u"none"_s, {}, true},
        {u"GOOGLE_CALLBACK_URL"_s, {}, {}, u"OAuth redirect URL registered with Google."_s,
         u"none"_s, {}},
        {u"GOOGLE_DISCOVERY_URL"_s, {}, {}, u"OpenID configuration document of Google (tests point it at a fake)."_s,
         d.googleDiscoveryUrl, {}},
        {u"GOOGLE_ALLOWED_DOMAINS"_s, {}, {}, u"Comma-separated Google Workspace domains (hd) allowed to sign in."_s,
         u"any Google account"_s, {}},
        {u"SCHEDULER_POLL_MS"_s, {}, {}, u"How often scheduled messages are checked, in ms."_s,
         QString::number(d.schedulerPollMs), {}},
        {u"JOB_LEASE_MS"_s, {}, {}, u"How long a claimed job belongs to its worker, in ms; a dead worker's jobs run again after it."_s,
         QString::number(d.jobLeaseMs), {}},
        {u"SOCKET_PING_INTERVAL_MS"_s, {}, {}, u"Real-time: how often the server pings a client, in ms."_s,
         QString::number(d.socketPingIntervalMs), {}},
        {u"SOCKET_PING_TIMEOUT_MS"_s, {}, {}, u"Real-time: how long a pong may take before the client is dropped, in ms."_s,
         QString::number(d.socketPingTimeoutMs), {}},
        {u"SOCKET_MAX_PAYLOAD"_s, {}, {}, u"Real-time: largest message or polling body a client may send, in bytes."_s,
         QString::number(d.socketMaxPayload), {}},
        {u"SOCKET_MAX_CONNECTIONS"_s, {}, {}, u"Real-time: most clients connected at once."_s,
         QString::number(d.socketMaxConnections), {}},
        {u"SOCKET_RECOVERY_WINDOW_MS"_s, {}, {}, u"Real-time: how long a client that dropped may come back and get what it missed, in ms (0 turns recovery off)."_s,
         QString::number(d.socketRecoveryWindowMs), {}},
        {u"MEDIA_MAX_BYTES"_s, {}, {}, u"Largest inbound media download kept per message, all items together (5mb, 10485760)."_s,
         QString::number(d.mediaMaxBytes), {}},
        {u"EVENT_RETENTION"_s, {}, {}, u"How long outbox events (and finished jobs) are kept; at least SOCKET_RECOVERY_WINDOW_MS."_s,
         durationText(d.eventRetentionSeconds), {}},
        {u"WEBHOOK_RECEIPT_RETENTION"_s, {}, {}, u"How long webhook receipts (duplicate detection) are kept."_s,
         durationText(d.webhookReceiptRetentionSeconds), {}},
        {u"MAINTENANCE_INTERVAL"_s, {}, {}, u"How often old events, receipts and jobs are pruned."_s,
         durationText(d.maintenanceIntervalSeconds), {}},
    };
}

// Where each value comes from, in precedence order: flags, environment, config file.
// Empty environment and file values count as unset, like the original's `process.env.X || d`;
// a flag given explicitly always counts.
class Sources
{
public:
    QHash<QString, QString> flags;
    QProcessEnvironment env;
    QHash<QString, QString> file;

    [[nodiscard]] std::optional<QString> raw(const QString &name) const
    {
        if (const auto it = flags.constFind(name); it != flags.cend()) {
            return *it;
        }
        if (const QString v = env.value(name); !v.isEmpty()) {
            return v;
        }
        if (const QString v = file.value(name); !v.isEmpty()) {
            return v;
        }
        return std::nullopt;
    }
    // Values other than secrets are trimmed: stray spaces in a file are never meant.
    [[nodiscard]] std::optional<QString> get(const QString &name) const
    {
        std::optional<QString> v = raw(name);
        if (v) {
            *v = v->trimmed();
        }
        return v;
    }
};

QString quoted(const QString &value)
{
    return u'"' + value + u'"';
}

// Hides the password of a URL before it goes into an error message.
QString redactedUrl(const QString &url)
{
    static const QRegularExpression password(u"^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@"_s);
    QString out = url;
    out.replace(password, u"\\1:***@"_s);
    return out;
}

std::optional<bool> parseBool(const QString &text)
{
    const QString t = text.toLower();
    if (t == u"1" || t == u"true" || t == u"yes" || t == u"on") {
        return true;
    }
    if (t == u"0" || t == u"false" || t == u"no" || t == u"off") {
        return false;
    }
    return std::nullopt;
}

// "1048576", "512kb", "10mb", "1gb" (1024-based, as the `bytes` package the original used).
std::optional<qint64> parseSize(const QString &text)
{
    static const QRegularExpression re(u"^(\\d+)\\s*(b|k|kb|m|mb|g|gb)?$"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch()) {
        return std::nullopt;
    }
    bool ok = false;
    const qint64 number = m.captured(1).toLongLong(&ok);
    if (!ok) {
        return std::nullopt;
    }
    const QString unit = m.captured(2).toLower();
    qint64 factor = 1;
    if (unit.startsWith(u'k')) {
        factor = qint64(1) << 10;
    } else if (unit.startsWith(u'm')) {
        factor = qint64(1) << 20;
    } else if (unit.startsWith(u'g')) {
        factor = qint64(1) << 30;
    }
    if (number <= 0 || number > std::numeric_limits<qint64>::max() / factor) {
        return std::nullopt;
    }
    return number * factor;
}

enum class TrailingSlash { Strip, Keep };

// The text itself is kept (not QUrl's re-serialisation): a callback URL must match what is
// registered with the provider byte for byte.
std::optional<QString> httpUrl(const QString &text, TrailingSlash slash)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty()
        || url.hasFragment()
        || (url.scheme() != u"http" && url.scheme() != u"https")) {
        return std::nullopt;
    }
    QString out = text;
    while (slash == TrailingSlash::Strip && out.endsWith(u'/')) {
        out.chop(1);
    }
    return out;
}

// An origin as browsers send it: scheme://host[:port], lower case, no default port, no path.
std::optional<QString> httpOrigin(const QString &text)
{
    if (text == u"*") {
        return text;
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery()
        || url.hasFragment() || (!url.path().isEmpty() && url.path() != u"/")
        || (url.scheme() != u"http" && url.scheme() != u"https")) {
        return std::nullopt;
    }
    QUrl origin;
    origin.setScheme(url.scheme());
    origin.setHost(url.host());
    const int defaultPort = url.scheme() == u"https" ? 443 : 80;
    if (url.port() != -1 && url.port() != defaultPort) {
        origin.setPort(url.port());
    }
    return origin.toString(QUrl::FullyEncoded);
}

bool isHostNameOrAddress(const QString &host)
{
    if (QHostAddress address; address.setAddress(host)) {
        return true;
    }
    static const QRegularExpression name(
            u"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"_s);
    return host.size() <= 253 && name.match(host).hasMatch();
}

QString expandHome(const QString &path)
{
    if (path == u"~") {
        return QDir::homePath();
    }
    if (path.startsWith(u"~/")) {
        return QDir::homePath() + path.mid(1);
    }
    return path;
}

Status ensureWritableFolder(const QString &dir)
{
    if (QFileInfo::exists(dir) && !QFileInfo(dir).isDir()) {
        return configError(u"Data folder \"%1\" is a file, not a folder: set DATA_DIR to a "
                           "folder"_s.arg(dir));
    }
    if (!QDir().mkpath(dir) || !QFileInfo(dir).isDir()) {
        return configError(u"Data folder \"%1\" does not exist and cannot be created: check the "
                           "path and its permissions, or set DATA_DIR"_s.arg(dir));
    }
    // Checked by doing it rather than by reading permission bits: ACLs, read-only mounts and
    // root all make the bits lie.
    QTemporaryFile probe(dir + u"/.write-probe-XXXXXX"_s);
    if (!probe.open()) {
        return configError(u"Data folder \"%1\" is not writable (%2): fix its permissions or set "
                           "DATA_DIR"_s.arg(dir, probe.errorString()));
    }
    return Done{};
}

QByteArray newJwtSecret()
{
    return Crypto::base64UrlEncode(Crypto::randomBytes(GeneratedJwtSecretBytes));
}

Result<QByteArray> storedJwtSecret(const QString &path)
{
    Result<QByteArray> stored = SecretFile::read(path);
    if (!stored) {
        return stored;
    }
    const QByteArray secret = stored->trimmed();
    if (secret.size() < MinJwtSecretBytes) {
        return configError(u"The JWT secret in \"%1\" is only %2 bytes; it must be at least %3: "
                           "delete the file to have a new one generated, or set JWT_SECRET"_s.arg(
                                   path, QString::number(secret.size()),
                                   QString::number(MinJwtSecretBytes)));
    }
    return secret;
}

Result<QByteArray> resolveJwtSecret(const std::optional<QString> &given, const QString &dataDir,
                                    bool mayCreateSecret, bool *generated)
{
    *generated = false;
    if (given) {
        const QByteArray secret = given->toUtf8();
        if (secret.size() < MinJwtSecretBytes) {
            return configError(u"JWT_SECRET is only %1 bytes; it must be at least %2 bytes, or "
                               "anyone who guesses it can forge sign-in tokens"_s.arg(
                                       QString::number(secret.size()),
                                       QString::number(MinJwtSecretBytes)));
        }
        return secret;
    }
    const QString path = QDir(dataDir).filePath(JwtSecretFileName);
    if (QFileInfo::exists(path)) {
        return storedJwtSecret(path);
    }
    if (!mayCreateSecret) {
        return configError(u"JWT_SECRET is not set and \"%1\" does not exist: set JWT_SECRET, or "
                           "start the server once to generate it"_s.arg(path));
    }
    const QByteArray secret = newJwtSecret();
    if (const Status created = SecretFile::create(path, secret); !created) {
        // Another process (the worker, started together with the server) may have won the
        // race to create it: then use its secret so tokens work across both.
        if (QFileInfo::exists(path)) {
            return storedJwtSecret(path);
        }
        return created.error();
    }
    qCInfo(lcConfig).noquote() << "Generated a new JWT secret in" << path;
    *generated = true;
    return secret;
}

// The config file, if any: --config, else INBOX_CONFIG, else the default one if it exists.
Result<std::optional<QString>> findConfigFile(const QCommandLineParser &parser,
                                              const QProcessEnvironment &env)
{
    QString explicitPath;
    QString origin;
    if (parser.optionNames().contains(ConfigFlag)) {
        explicitPath = parser.value(ConfigFlag);
        origin = u"--config"_s;
    } else if (const QString fromEnv = env.value(ConfigEnv).trimmed(); !fromEnv.isEmpty()) {
        explicitPath = fromEnv;
        origin = ConfigEnv;
    }
    if (!origin.isEmpty()) {
        const QFileInfo info(expandHome(explicitPath));
        if (!info.exists()) {
            return configError(u"Config file \"%1\" (from %2) does not exist"_s.arg(
                    explicitPath, origin));
        }
        if (!info.isFile()) {
            return configError(u"Config file \"%1\" (from %2) is not a file"_s.arg(
                    explicitPath, origin));
        }
        return std::optional<QString>(info.absoluteFilePath());
    }
    const QString found = QStandardPaths::locate(QStandardPaths::AppConfigLocation,
                                                 ConfigFileName);
    if (found.isEmpty()) {
        return std::optional<QString>();
    }
    return std::optional<QString>(found);
}

Result<QHash<QString, QString>> readConfigFile(const QString &path)
{
    QFile probe(path);
    if (!probe.open(QIODevice::ReadOnly)) {
        return configError(u"Config file \"%1\" cannot be read: %2"_s.arg(path,
                                                                           probe.errorString()));
    }
    probe.close();

    QSettings settings(path, QSettings::IniFormat);
    const QStringList keys = settings.allKeys();
    if (settings.status() != QSettings::NoError) {
        return configError(u"Config file \"%1\" is not a valid INI file (KEY=value lines)"_s.arg(
                path));
    }
    QStringList known;
    QStringList secrets;
    for (const Setting &s : settingsTable()) {
        known.append(s.name);
        if (s.secret) {
            secrets.append(s.name);
        }
    }
    QHash<QString, QString> values;
    bool holdsSecret = false;
    for (const QString &key : keys) {
        const QString name = key.toUpper();
        if (!known.contains(name)) {
            qCWarning(lcConfig).noquote()
                    << "Config file" << path << "has an unknown key" << key << "(ignored)";
            continue;
        }
        // QSettings splits an unquoted value at commas (a CORS_ORIGIN list): join it back.
        const QVariant value = settings.value(key);
        values.insert(name, value.typeId() == QMetaType::QStringList
                                    ? value.toStringList().join(u',')
                                    : value.toString());
        holdsSecret = holdsSecret || secrets.contains(name);
    }
    constexpr QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::ReadOther;
    if (holdsSecret && (QFileInfo(path).permissions() & others)) {
        qCWarning(lcConfig).noquote() << "Config file" << path
                                      << "holds secrets but other users can read it: run chmod 600"
                                      << path;
    }
    return values;
}

QHash<QString, QString> flagValues(const QCommandLineParser &parser)
{
    // Only options that were actually given: asking a parser about an option it does not
    // know (a command that did not call addConfigOptions) would print a warning.
    const QStringList given = parser.optionNames();
    QHash<QString, QString> out;
    for (const Setting &s : settingsTable()) {
        if (s.flag.isEmpty() || !given.contains(s.flag)) {
            continue;
        }
        if (!s.switchValue.isEmpty()) {
            out.insert(s.name, s.switchValue);
        } else if (s.name == u"CORS_ORIGIN") {
            out.insert(s.name, parser.values(s.flag).join(u','));
        } else {
            out.insert(s.name, parser.value(s.flag));
        }
    }
    return out;
}

Result<int> intSetting(const Sources &src, const QString &name, int fallback, int min, int max)
{
    const std::optional<QString> v = src.get(name);
    if (!v) {
        return fallback;
    }
    bool ok = false;
    const int n = v->toInt(&ok);
    if (!ok) {
        return configError(u"%1 %2 is not a whole number"_s.arg(name, quoted(*v)));
    }
    if (n < min || n > max) {
        return configError(u"%1 %2 is out of range (%3-%4)"_s.arg(
                name, QString::number(n), QString::number(min), QString::number(max)));
    }
    return n;
}

Result<int> durationSetting(const Sources &src, const QString &name, int fallback)
{
    const std::optional<QString> v = src.get(name);
    if (!v) {
        return fallback;
    }
    if (const std::optional<int> seconds = parseDuration(*v)) {
        return *seconds;
    }
    return configError(u"%1 %2 is not a duration (e.g. 3600, 90s, 15m, 1h, 7d)"_s.arg(
            name, quoted(*v)));
}

Result<bool> boolSetting(const Sources &src, const QString &name, bool fallback)
{
    const std::optional<QString> v = src.get(name);
    if (!v) {
        return fallback;
    }
    if (const std::optional<bool> b = parseBool(*v)) {
        return *b;
    }
    return configError(u"%1 %2 must be true or false"_s.arg(name, quoted(*v)));
}

Result<QString> urlSetting(const Sources &src, const QString &name, const QString &fallback,
                           TrailingSlash slash = TrailingSlash::Strip)
{
    const std::optional<QString> v = src.get(name);
    if (!v) {
        return fallback;
    }
    if (const std::optional<QString> url = httpUrl(*v, slash)) {
        return *url;
    }
    return configError(u"%1 %2 is not an http(s) URL"_s.arg(name, quoted(*v)));
}

} // namespace

ApiError configError(const QString &detail)
{
    return {400, u"bad-config"_s, u"Bad configuration"_s, detail, {}, 0};
}

QStringList configVariableNames()
{
    QStringList names;
    for (const Setting &s : settingsTable()) {
        names.append(s.name);
    }
    return names;
}

void addConfigOptions(QCommandLineParser &parser)
{
    parser.addOption(QCommandLineOption(
            ConfigFlag,
            u"Read settings from this INI file (keys as the environment names, e.g. PORT=5000)."_s,
            u"file"_s));
    for (const Setting &s : settingsTable()) {
        if (s.flag.isEmpty()) {
            continue;
        }
        if (s.switchValue.isEmpty()) {
            parser.addOption(QCommandLineOption(
                    s.flag, s.meaning + u" Overrides "_s + s.name + u'.', s.valueName));
        } else {
            parser.addOption(QCommandLineOption(s.flag, s.switchHelp));
        }
    }
}

QString environmentHelp()
{
    const QList<Setting> table = settingsTable();
    qsizetype width = ConfigEnv.size();
    for (const Setting &s : table) {
        width = std::max(width, s.name.size());
    }
    const QString configDefault = []() -> QString {
        const AppNameScope scope;
        return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u'/'
                + ConfigFileName;
    }();

    QString text = u"Environment variables (also the keys of the config file; a flag beats the "
                   "environment, which beats the config file):\n"_s;
    const auto line = [&text, width](const QString &name, const QString &meaning,
                                     const QString &defaultText) {
        text += u"  "_s + name.leftJustified(width + 2) + meaning + u" [default: "_s
                + defaultText + u"]\n"_s;
    };
    line(ConfigEnv, u"Config file to read, as --config."_s, configDefault + u" if it exists"_s);
    for (const Setting &s : table) {
        line(s.name, s.meaning, s.defaultText);
    }
    text += u"Secrets (JWT_SECRET, TWILIO_AUTH_TOKEN, GOOGLE_CLIENT_SECRET) have no flag, since "
            "other users can see a command line: use the environment or a chmod 600 config "
            "file.\n"_s;
    return text;
}

std::optional<int> parseDuration(const QString &text)
{
    // The forms of the `ms` package the original's JWT_EXPIRES_IN went through ("15m", "7d",
    // "2 days"), except that a bare number means seconds here, not milliseconds.
    static const QRegularExpression re(u"^\\s*(\\d+(?:\\.\\d+)?)\\s*([a-z]*)\\s*$"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch()) {
        return std::nullopt;
    }
    const double number = m.captured(1).toDouble();
    const QString unit = m.captured(2).toLower();
    static const QHash<QString, double> factors = {
        {u""_s, 1},           {u"ms"_s, 0.001},     {u"msec"_s, 0.001},
        {u"msecs"_s, 0.001},  {u"millisecond"_s, 0.001}, {u"milliseconds"_s, 0.001},
        {u"s"_s, 1},          {u"sec"_s, 1},        {u"secs"_s, 1},
        {u"second"_s, 1},     {u"seconds"_s, 1},    {u"m"_s, 60},
        {u"min"_s, 60},       {u"mins"_s, 60},      {u"minute"_s, 60},
        {u"minutes"_s, 60},   {u"h"_s, 3600},       {u"hr"_s, 3600},
        {u"hrs"_s, 3600},     {u"hour"_s, 3600},    {u"hours"_s, 3600},
        {u"d"_s, 86400},      {u"day"_s, 86400},    {u"days"_s, 86400},
        {u"w"_s, 604800},     {u"week"_s, 604800},  {u"weeks"_s, 604800},
        {u"y"_s, 31557600},   {u"yr"_s, 31557600},  {u"yrs"_s, 31557600},
        {u"year"_s, 31557600}, {u"years"_s, 31557600},
    };
    const auto factor = factors.constFind(unit);
    if (factor == factors.cend()) {
        return std::nullopt;
    }
    const double seconds = std::floor(number * *factor);
    if (!(seconds >= 1) || seconds > std::numeric_limits<int>::max()) {
        return std::nullopt;
    }
    return int(seconds);
}

Result<QString> normaliseDatabaseUrl(const QString &input, const QString &dataDir)
{
    const QString url = input.trimmed();
    const QString shown = quoted(redactedUrl(url));
    if (url.isEmpty()) {
        return configError(
                u"DATABASE_URL is empty: use sqlite:///path or postgresql://user@host/db"_s);
    }

    if (url.startsWith(u"postgres://", Qt::CaseInsensitive)
        || url.startsWith(u"postgresql://", Qt::CaseInsensitive)) {
        const QString pg = u"postgresql://"_s + url.mid(url.indexOf(u"://") + 3);
        const QUrl parsed(pg, QUrl::StrictMode);
        // QUrl::errorString() quotes the whole input, password included: not used here.
        if (!parsed.isValid()) {
            return configError(u"DATABASE_URL %1 is not a valid URL: use "
                               "postgresql://user:password@host:5432/db"_s.arg(shown));
        }
        // libpq also takes the host (or a socket folder) as a parameter: ?host=/run/postgresql
        const bool hostParameter = QUrlQuery(parsed).hasQueryItem(u"host"_s);
        if (parsed.host().isEmpty() && !hostParameter) {
            return configError(u"DATABASE_URL %1 has no host: use postgresql://user@host/db"_s.arg(
                    shown));
        }
        return pg;
    }

    QString path;
    if (url.startsWith(u"sqlite:", Qt::CaseInsensitive)) {
        path = url.mid(7);
        // sqlite:///abs/path → /abs/path; sqlite://rel/path and sqlite:rel/path → relative.
        if (path.startsWith(u"//")) {
            path = path.mid(2);
        }
        if (path.isEmpty()) {
            return configError(u"DATABASE_URL %1 names no file: use sqlite:///path/file.db"_s.arg(
                    shown));
        }
    } else if (!url.contains(u"://")
               && (url.endsWith(u".db", Qt::CaseInsensitive)
                   || url.endsWith(u".sqlite", Qt::CaseInsensitive)
                   || url.endsWith(u".sqlite3", Qt::CaseInsensitive))) {
        path = url;
    } else {
        return configError(u"DATABASE_URL %1 is not supported: use sqlite:///path or "
                           "postgresql://user@host/db"_s.arg(shown));
    }

    // A relative path is taken inside the data folder, so the service does not depend on the
    // folder it was started from.
    const QDir base(dataDir.isEmpty() ? QDir::currentPath() : dataDir);
    const QString absolute = QDir::cleanPath(base.absoluteFilePath(path));
    const QFileInfo info(absolute);
    if (info.isDir()) {
        return configError(u"DATABASE_URL %1 names a folder, not a database file"_s.arg(shown));
    }
    const QString parent = info.absolutePath();
    if (!QDir().mkpath(parent) || !QFileInfo(parent).isDir()) {
        return configError(u"DATABASE_URL %1: folder \"%2\" does not exist and cannot be "
                           "created"_s.arg(shown, parent));
    }
    return QString(u"sqlite://"_s + absolute);
}

Result<Config> loadConfig(const QCommandLineParser &parser, const QProcessEnvironment &env,
                          bool mayCreateSecret)
{
    const AppNameScope appName;
    Config c;
    Sources src;
    src.env = env;
    src.flags = flagValues(parser);

    Result<std::optional<QString>> configPath = findConfigFile(parser, env);
    if (!configPath) {
        return configPath.error();
    }
    if (configPath.value()) {
        Result<QHash<QString, QString>> values = readConfigFile(*configPath.value());
        if (!values) {
            return values.error();
        }
        src.file = values.value();
        c.configFile = *configPath.value();
    }

    // Where we listen and how we are reached.
    if (const auto host = src.get(u"HOST"_s)) {
        if (!isHostNameOrAddress(*host)) {
            return configError(u"HOST %1 is not an IP address or host name"_s.arg(quoted(*host)));
        }
        c.host = *host;
    }
    if (const auto port = src.get(u"PORT"_s)) {
        bool ok = false;
        const int n = port->toInt(&ok);
        if (!ok || n < 1 || n > 65535) {
            return configError(u"PORT %1 is not a port number (1-65535)"_s.arg(quoted(*port)));
        }
        c.port = quint16(n);
    }
    Result<QString> publicUrl = urlSetting(src, u"PUBLIC_URL"_s,
                                           u"http://localhost:"_s + QString::number(c.port));
    if (!publicUrl) {
        return publicUrl.error();
    }
    c.publicUrl = publicUrl.value();
    if (const auto cors = src.get(u"CORS_ORIGIN"_s)) {
        for (const QString &part : cors->split(u',', Qt::SkipEmptyParts)) {
            const QString item = part.trimmed();
            if (item.isEmpty()) {
                continue;
            }
            const std::optional<QString> origin = httpOrigin(item);
            if (!origin) {
                return configError(u"CORS_ORIGIN %1 is not an http(s) origin (scheme://host[:port] "
                                   "without a path, or *)"_s.arg(quoted(item)));
            }
            if (!c.corsOrigins.contains(*origin)) {
                c.corsOrigins.append(*origin);
            }
        }
    }

    // Storage.
    if (const auto dir = src.get(u"DATA_DIR"_s)) {
        c.dataDir = QDir::cleanPath(QDir::current().absoluteFilePath(expandHome(*dir)));
    } else {
        c.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        if (c.dataDir.isEmpty()) {
            return configError(u"No data folder could be determined for this user: set DATA_DIR"_s);
        }
    }
    if (const Status writable = ensureWritableFolder(c.dataDir); !writable) {
        return writable.error();
    }
    Result<QString> databaseUrl = normaliseDatabaseUrl(
            src.get(u"DATABASE_URL"_s).value_or(u"sqlite://"_s + c.dataDir + u'/'
                                                + DatabaseFileName),
            c.dataDir);
    if (!databaseUrl) {
        return databaseUrl.error();
    }
    c.databaseUrl = databaseUrl.value();

    // Accounts.
    bool generated = false;
    Result<QByteArray> secret = resolveJwtSecret(src.raw(u"JWT_SECRET"_s), c.dataDir,
                                                 mayCreateSecret, &generated);
    if (!secret) {
        return secret.error();
    }
    c.jwtSecret = secret.value();
    c.jwtSecretGenerated = generated;

    const struct
    {
        QString name;
        int *target;
    } durations[] = {
        {u"JWT_EXPIRES_IN"_s, &c.accessTokenTtlSeconds},
        {u"REFRESH_TOKEN_TTL"_s, &c.refreshTokenTtlSeconds},
        {u"INVITATION_TTL"_s, &c.invitationTtlSeconds},
        {u"LOGIN_THROTTLE_WINDOW"_s, &c.loginWindowSeconds},
        {u"EVENT_RETENTION"_s, &c.eventRetentionSeconds},
        {u"WEBHOOK_RECEIPT_RETENTION"_s, &c.webhookReceiptRetentionSeconds},
        {u"MAINTENANCE_INTERVAL"_s, &c.maintenanceIntervalSeconds},
    };
    for (const auto &d : durations) {
        Result<int> seconds = durationSetting(src, d.name, *d.target);
        if (!seconds) {
            return seconds.error();
        }
        *d.target = seconds.value();
    }

    const struct
    {
        QString name;
        int *target;
        int min;
        int max;
    } integers[] = {
        {u"BCRYPT_COST"_s, &c.bcryptCost, 4, 31},
        {u"LOGIN_MAX_FAILURES_PER_ACCOUNT"_s, &c.loginMaxFailuresPerAccount, 1, 1000000},
        {u"LOGIN_MAX_FAILURES_PER_IP"_s, &c.loginMaxFailuresPerIp, 1, 1000000},
        {u"DB_THREADS"_s, &c.dbThreads, 0, 256},
        {u"HTTP_THREADS"_s, &c.httpThreads, 0, 64},
        {u"READ_CACHE_MAX_AGE_MS"_s, &c.readCacheMaxAgeMs, 0, 3600000},
        {u"SCHEDULER_POLL_MS"_s, &c.schedulerPollMs, 10, 3600000},
        {u"JOB_LEASE_MS"_s, &c.jobLeaseMs, 1000, 3600000},
        {u"SOCKET_PING_INTERVAL_MS"_s, &c.socketPingIntervalMs, 50, 3600000},
        {u"SOCKET_PING_TIMEOUT_MS"_s, &c.socketPingTimeoutMs, 50, 3600000},
        {u"SOCKET_MAX_PAYLOAD"_s, &c.socketMaxPayload, 1024, 100000000},
        {u"SOCKET_MAX_CONNECTIONS"_s, &c.socketMaxConnections, 1, 1000000},
        {u"SOCKET_RECOVERY_WINDOW_MS"_s, &c.socketRecoveryWindowMs, 0, 86400000},
    };
    for (const auto &i : integers) {
        Result<int> n = intSetting(src, i.name, *i.target, i.min, i.max);
        if (!n) {
            return n.error();
        }
        *i.target = n.value();
    }
    // A client that reconnects within the recovery window replays the events it missed: they
    // must still be there.
    if (qint64(c.eventRetentionSeconds) * 1000 < c.socketRecoveryWindowMs) {
        return configError(u"EVENT_RETENTION %1 is shorter than SOCKET_RECOVERY_WINDOW_MS %2 (ms): "
                           "a reconnecting client could miss events; raise EVENT_RETENTION or "
                           "lower the window"_s.arg(
                quoted(src.get(u"EVENT_RETENTION"_s).value_or(durationText(c.eventRetentionSeconds))),
                QString::number(c.socketRecoveryWindowMs)));
    }

    if (const auto mode = src.get(u"SIGNUP_MODE"_s)) {
        const QString m = mode->toLower();
        if (m == u"invite") {
            c.signupMode = SignupMode::Invite;
        } else if (m == u"open") {
            c.signupMode = SignupMode::Open;
        } else if (m == u"closed") {
            c.signupMode = SignupMode::Closed;
        } else {
            return configError(
                    u"SIGNUP_MODE %1 must be invite, open or closed"_s.arg(quoted(*mode)));
        }
    }
    if (const auto team = src.get(u"DEFAULT_TEAM_NAME"_s)) {
        c.defaultTeamName = *team;
    }

    // HTTP limits and behaviour.
    if (const auto size = src.get(u"MAX_BODY_BYTES"_s)) {
        const std::optional<qint64> bytes = parseSize(*size);
        if (!bytes) {
            return configError(u"MAX_BODY_BYTES %1 is not a size in bytes (e.g. 1048576, 512kb, "
                               "10mb)"_s.arg(quoted(*size)));
        }
        c.maxBodyBytes = *bytes;
    }
    if (const auto size = src.get(u"MEDIA_MAX_BYTES"_s)) {
        const std::optional<qint64> bytes = parseSize(*size);
        if (!bytes) {
            return configError(u"MEDIA_MAX_BYTES %1 is not a size in bytes (e.g. 5242880, 5mb)"_s.arg(
                    quoted(*size)));
        }
        c.mediaMaxBytes = *bytes;
    }
    if (const auto size = src.get(u"READ_CACHE_SIZE"_s)) {
        // parseSize() refuses 0 (no other size may be 0); here 0 turns the cache off
        const std::optional<qint64> bytes =
                *size == u"0"_s ? std::optional<qint64>(0) : parseSize(*size);
        if (!bytes || *bytes > qint64(1) << 30) {
            return configError(u"READ_CACHE_SIZE %1 is not a size in bytes up to 1gb (e.g. 4mb, "
                               "0 to turn the cache off)"_s.arg(quoted(*size)));
        }
        c.readCacheBytes = *bytes;
    }
    Result<bool> metrics = boolSetting(src, u"METRICS_LOOPBACK_ONLY"_s, c.metricsLoopbackOnly);
    if (!metrics) {
        return metrics.error();
    }
    c.metricsLoopbackOnly = metrics.value();
    Result<bool> accessLog = boolSetting(src, u"ACCESS_LOG"_s, c.accessLog);
    if (!accessLog) {
        return accessLog.error();
    }
    c.accessLog = accessLog.value();

    // Twilio and Google.
    c.twilioAccountSid = src.get(u"TWILIO_ACCOUNT_SID"_s).value_or(QString());
    c.twilioAuthToken = src.raw(u"TWILIO_AUTH_TOKEN"_s).value_or(QString()).toUtf8();
    Result<QString> twilioBase = urlSetting(src, u"TWILIO_API_BASE"_s, c.twilioApiBase);
    if (!twilioBase) {
        return twilioBase.error();
    }
    c.twilioApiBase = twilioBase.value();
    c.twilioSmsFrom = src.get(u"TWILIO_SMS_FROM"_s).value_or(QString());
    c.twilioWhatsappFrom = src.get(u"TWILIO_WHATSAPP_FROM"_s).value_or(QString());
    c.googleClientId = src.get(u"GOOGLE_CLIENT_ID"_s).value_or(QString());
    c.googleClientSecret = src.raw(u"GOOGLE_CLIENT_SECRET"_s).value_or(QString()).toUtf8();
    Result<QString> callback = urlSetting(src, u"GOOGLE_CALLBACK_URL"_s, QString(),
                                          TrailingSlash::Keep);
    if (!callback) {
        return callback.error();
    }
    c.googleCallbackUrl = callback.value();
    Result<QString> discovery = urlSetting(src, u"GOOGLE_DISCOVERY_URL"_s, c.googleDiscoveryUrl,
                                           TrailingSlash::Keep);
    if (!discovery) {
        return discovery.error();
    }
    c.googleDiscoveryUrl = discovery.value();
    if (const auto domains = src.get(u"GOOGLE_ALLOWED_DOMAINS"_s)) {
        for (const QString &domain : domains->split(u',', Qt::SkipEmptyParts)) {
            const QString trimmed = domain.trimmed().toLower();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.contains(u'/') || trimmed.contains(u'@') || !trimmed.contains(u'.')) {
                return configError(u"GOOGLE_ALLOWED_DOMAINS %1 is not a domain name (e.g. "
                                   "example.com)"_s.arg(quoted(trimmed)));
            }
            c.googleAllowedDomains.append(trimmed);
        }
    }

    return c;
}
