// SPDX-License-Identifier: MIT
// Configuration: flags > environment > config file > defaults, the original's variable names,
// one-line errors for every bad value, and the JWT secret generated once into an owner-only file.
// Runs without a QCoreApplication, as the CLI tools do, so the loader must name its folders
// "inbox-central" itself; XDG_* point into a temporary home so the real one is never touched.

#include "config/config.h"
#include "config/secretfile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

constexpr QFileDevice::Permissions ModeBits = QFileDevice::ReadOwner | QFileDevice::WriteOwner
        | QFileDevice::ExeOwner | QFileDevice::ReadGroup | QFileDevice::WriteGroup
        | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
        | QFileDevice::ExeOther;
constexpr QFileDevice::Permissions Mode0600 = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions Mode0644 =
        Mode0600 | QFileDevice::ReadGroup | QFileDevice::ReadOther;

const QString LongSecret = u"an-original-deployment-secret-of-40-bytes"_s;

QString signupName(SignupMode mode)
{
    switch (mode) {
    case SignupMode::Invite:
        return u"invite"_s;
    case SignupMode::Open:
        return u"open"_s;
    case SignupMode::Closed:
        return u"closed"_s;
    }
    return {};
}

// Every field, by name, so a row can state just the ones it is about.
QVariantMap fields(const Config &c)
{
    return {
        {u"host"_s, c.host},
        {u"port"_s, int(c.port)},
        {u"publicUrl"_s, c.publicUrl},
        {u"corsOrigins"_s, c.corsOrigins},
        {u"dataDir"_s, c.dataDir},
        {u"databaseUrl"_s, c.databaseUrl},
        {u"jwtSecret"_s, QString::fromUtf8(c.jwtSecret)},
        {u"jwtSecretGenerated"_s, c.jwtSecretGenerated},
        {u"accessTokenTtlSeconds"_s, c.accessTokenTtlSeconds},
        {u"refreshTokenTtlSeconds"_s, c.refreshTokenTtlSeconds},
        {u"bcryptCost"_s, c.bcryptCost},
        {u"signupMode"_s, signupName(c.signupMode)},
        {u"defaultTeamName"_s, c.defaultTeamName},
        {u"invitationTtlSeconds"_s, c.invitationTtlSeconds},
        {u"loginWindowSeconds"_s, c.loginWindowSeconds},
        {u"loginMaxFailuresPerAccount"_s, c.loginMaxFailuresPerAccount},
        {u"loginMaxFailuresPerIp"_s, c.loginMaxFailuresPerIp},
        {u"maxBodyBytes"_s, c.maxBodyBytes},
        {u"mediaMaxBytes"_s, c.mediaMaxBytes},
        {u"metricsLoopbackOnly"_s, c.metricsLoopbackOnly},
        {u"accessLog"_s, c.accessLog},
        {u"dbThreads"_s, c.dbThreads},
        {u"twilioAccountSid"_s, c.twilioAccountSid},
        {u"twilioAuthToken"_s, QString::fromUtf8(c.twilioAuthToken)},
        {u"twilioApiBase"_s, c.twilioApiBase},
        {u"twilioSmsFrom"_s, c.twilioSmsFrom},
        {u"twilioWhatsappFrom"_s, c.twilioWhatsappFrom},
        {u"googleClientId"_s, c.googleClientId},
        {u"googleClientSecret"_s, QString::fromUtf8(c.googleClientSecret)},
        {u"googleCallbackUrl"_s, c.googleCallbackUrl},
        {u"googleDiscoveryUrl"_s, c.googleDiscoveryUrl},
        {u"googleAllowedDomains"_s, c.googleAllowedDomains},
        {u"schedulerPollMs"_s, c.schedulerPollMs},
        {u"eventRetentionSeconds"_s, c.eventRetentionSeconds},
        {u"webhookReceiptRetentionSeconds"_s, c.webhookReceiptRetentionSeconds},
        {u"maintenanceIntervalSeconds"_s, c.maintenanceIntervalSeconds},
        {u"configFile"_s, c.configFile},
        {u"isSqlite"_s, c.isSqlite()},
    };
}

void writeFile(const QString &path, const QString &text, QFileDevice::Permissions mode)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(f.errorString()));
    f.write(text.toUtf8());
    f.close();
    QVERIFY(f.setPermissions(mode));
}

} // namespace

class TestConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void loadsSettings_data();
    void loadsSettings();
    void refusesBadSettings_data();
    void refusesBadSettings();
    void refusesExistingUnwritableDataDir();

    void parseDuration_data();
    void parseDuration();
    void normaliseDatabaseUrl_data();
    void normaliseDatabaseUrl();

    void jwtSecretIsGeneratedOnceAndKeptOwnerOnly();
    void jwtSecretFileIsReadWhenMayNotCreate();
    void jwtSecretIsRequiredWhenMayNotCreate();
    void looseJwtSecretFileIsRefused();
    void shortStoredJwtSecretIsRefused();
    void secretFileRoundTripsOwnerOnly();
    void secretFileCreateRefusesAnExistingFile();
    void secretFileReadRefusesLooseModes_data();
    void secretFileReadRefusesLooseModes();

    void configFileWarnsAboutUnknownKeysAndReadableSecrets();
    void secretsHaveNoFlag();
    void everySettingHasAFlagOrIsDocumented();
    void loaderLeavesTheApplicationNameAlone();

private:
    // Runs the loader as `inbox-central <args>` with exactly `env`.
    [[nodiscard]] Result<Config> load(const QStringList &args, const QProcessEnvironment &env,
                                      bool mayCreateSecret = true);
    // Replaces @DATA@, @FILE@, @DEFAULT_DATA@ and @DEFAULT_CONFIG@ in a row's text.
    [[nodiscard]] QString expand(QString text) const;
    // Builds args and env from a row, writing its config file where the row says.
    void prepareRow(QStringList &args, QProcessEnvironment &env, const QStringList &envRows,
                    const QString &fileText, const QString &fileAt);

    QTemporaryDir m_home;
    QString m_defaultData;
    QString m_defaultConfig;
    std::unique_ptr<QTemporaryDir> m_rowDir;
};

void TestConfig::initTestCase()
{
    QVERIFY(m_home.isValid());
    QVERIFY(QCoreApplication::applicationName().isEmpty());
    QLoggingCategory::setFilterRules(u"inbox.config.info=false"_s);
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.filePath(u"data"_s)));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(u"config"_s)));
    qputenv("XDG_DATA_DIRS", QFile::encodeName(m_home.filePath(u"share"_s)));
    qputenv("XDG_CONFIG_DIRS", QFile::encodeName(m_home.filePath(u"etc"_s)));
    m_defaultData = m_home.filePath(u"data/inbox-central"_s);
    m_defaultConfig = m_home.filePath(u"config/inbox-central/inbox-central.conf"_s);
}

void TestConfig::cleanup()
{
    QDir(m_defaultData).removeRecursively();
    QFile::remove(m_defaultConfig);
    m_rowDir.reset();
}

Result<Config> TestConfig::load(const QStringList &args, const QProcessEnvironment &env,
                                bool mayCreateSecret)
{
    QCommandLineParser parser;
    addConfigOptions(parser);
    if (!parser.parse(QStringList{u"inbox-central"_s} + args)) {
        return configError(u"test: command line refused: "_s + parser.errorText());
    }
    return loadConfig(parser, env, mayCreateSecret);
}

QString TestConfig::expand(QString text) const
{
    text.replace(u"@DEFAULT_DATA@"_s, m_defaultData);
    text.replace(u"@DEFAULT_CONFIG@"_s, m_defaultConfig);
    if (m_rowDir) {
        text.replace(u"@DATA@"_s, m_rowDir->filePath(u"data"_s));
        text.replace(u"@FILE@"_s, m_rowDir->filePath(u"inbox.conf"_s));
    }
    return text;
}

void TestConfig::prepareRow(QStringList &args, QProcessEnvironment &env,
                            const QStringList &envRows, const QString &fileText,
                            const QString &fileAt)
{
    m_rowDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_rowDir->isValid());
    for (QString &arg : args) {
        arg = expand(arg);
    }
    env = QProcessEnvironment();
    for (const QString &row : envRows) {
        const qsizetype eq = row.indexOf(u'=');
        QVERIFY2(eq > 0, qPrintable(row));
        env.insert(row.left(eq), expand(row.mid(eq + 1)));
    }
    if (fileAt.isEmpty()) {
        return;
    }
    const QString path = fileAt == u"default" ? m_defaultConfig : expand(u"@FILE@"_s);
    writeFile(path, expand(fileText), Mode0600);
    if (fileAt == u"flag") {
        args << u"--config"_s << path;
    } else if (fileAt == u"env") {
        env.insert(u"INBOX_CONFIG"_s, path);
    }
}

void TestConfig::loadsSettings_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("fileAt"); // "", "flag" (--config), "env" (INBOX_CONFIG), "default"
    QTest::addColumn<QVariantMap>("expect");

    QTest::addRow("defaults") << QStringList() << QStringList() << QString() << QString()
                              << QVariantMap{
                                         {u"host"_s, u"0.0.0.0"_s},
                                         {u"port"_s, 5000},
                                         {u"publicUrl"_s, u"http://localhost:5000"_s},
                                         {u"corsOrigins"_s, QStringList()},
                                         {u"dataDir"_s, u"@DEFAULT_DATA@"_s},
                                         {u"databaseUrl"_s,
                                          u"sqlite://@DEFAULT_DATA@/inbox-central.db"_s},
                                         {u"isSqlite"_s, true},
                                         {u"jwtSecretGenerated"_s, true},
                                         {u"accessTokenTtlSeconds"_s, 3600},
                                         {u"refreshTokenTtlSeconds"_s, 30 * 86400},
                                         {u"bcryptCost"_s, 12},
                                         {u"signupMode"_s, u"invite"_s},
                                         {u"defaultTeamName"_s, u"My Team"_s},
                                         {u"invitationTtlSeconds"_s, 7 * 86400},
                                         {u"loginWindowSeconds"_s, 900},
                                         {u"loginMaxFailuresPerAccount"_s, 5},
                                         {u"loginMaxFailuresPerIp"_s, 20},
                                         {u"maxBodyBytes"_s, qint64(1048576)},
                                         {u"mediaMaxBytes"_s, qint64(5 * 1024 * 1024)},
                                         {u"metricsLoopbackOnly"_s, false},
                                         {u"accessLog"_s, true},
                                         {u"dbThreads"_s, 0},
                                         {u"twilioAccountSid"_s, QString()},
                                         {u"twilioAuthToken"_s, QString()},
                                         {u"twilioApiBase"_s, u"https://api.twilio.com"_s},
                                         {u"googleClientId"_s, QString()},
                                         {u"googleCallbackUrl"_s, QString()},
                                         {u"googleDiscoveryUrl"_s,
                                          u"https://accounts.google.com/.well-known/openid-configuration"_s},
                                         {u"googleAllowedDomains"_s, QStringList()},
                                         {u"schedulerPollMs"_s, 5000},
                                         {u"configFile"_s, QString()},
                                 };

    const QString file = u"PORT=6000\nHOST=127.0.0.1\nSIGNUP_MODE=open\nBCRYPT_COST=10\n"_s;
    const QVariantMap fromFile{{u"port"_s, 6000},
                               {u"host"_s, u"127.0.0.1"_s},
                               {u"signupMode"_s, u"open"_s},
                               {u"bcryptCost"_s, 10},
                               {u"publicUrl"_s, u"http://localhost:6000"_s},
                               {u"configFile"_s, u"@FILE@"_s}};
    QTest::addRow("config file named by --config")
            << QStringList() << QStringList{u"DATA_DIR=@DATA@"_s} << file << u"flag"_s
            << fromFile;
    QTest::addRow("config file named by INBOX_CONFIG")
            << QStringList() << QStringList{u"DATA_DIR=@DATA@"_s} << file << u"env"_s
            << fromFile;
    QTest::addRow("config file found at the default place")
            << QStringList() << QStringList{u"DATA_DIR=@DATA@"_s} << file << u"default"_s
            << QVariantMap{{u"port"_s, 6000}, {u"configFile"_s, u"@DEFAULT_CONFIG@"_s}};
    QTest::addRow("config file keys are case-insensitive")
            << QStringList() << QStringList{u"DATA_DIR=@DATA@"_s} << u"port=6002\n"_s
            << u"flag"_s << QVariantMap{{u"port"_s, 6002}};

    QTest::addRow("env beats file, file still fills the rest")
            << QStringList() << QStringList{u"DATA_DIR=@DATA@"_s, u"PORT=7000"_s} << file
            << u"flag"_s
            << QVariantMap{{u"port"_s, 7000}, {u"host"_s, u"127.0.0.1"_s},
                           {u"signupMode"_s, u"open"_s}};
    QTest::addRow("empty env value counts as unset")
            << QStringList() << QStringList{u"DATA_DIR=@DATA@"_s, u"PORT="_s} << file
            << u"flag"_s << QVariantMap{{u"port"_s, 6000}};
    QTest::addRow("flag beats env beats file")
            << QStringList{u"--port"_s, u"8000"_s, u"--host"_s, u"::1"_s}
            << QStringList{u"DATA_DIR=@DATA@"_s, u"PORT=7000"_s, u"HOST=10.0.0.1"_s} << file
            << u"flag"_s
            << QVariantMap{{u"port"_s, 8000},
                           {u"host"_s, u"::1"_s},
                           {u"publicUrl"_s, u"http://localhost:8000"_s},
                           {u"bcryptCost"_s, 10}};
    QTest::addRow("--data-dir beats DATA_DIR")
            << QStringList{u"--data-dir"_s, u"@DATA@/from-flag"_s}
            << QStringList{u"DATA_DIR=@DATA@/from-env"_s} << QString() << QString()
            << QVariantMap{{u"dataDir"_s, u"@DATA@/from-flag"_s},
                           {u"databaseUrl"_s, u"sqlite://@DATA@/from-flag/inbox-central.db"_s}};

    QTest::addRow("a flag for every flag setting")
            << QStringList{u"--public-url"_s,      u"https://inbox.example.com/"_s,
                           u"--cors-origin"_s,     u"https://a.example.com"_s,
                           u"--cors-origin"_s,     u"http://localhost:3000"_s,
                           u"--data-dir"_s,        u"@DATA@"_s,
                           u"--database-url"_s,    u"sqlite:inbox.db"_s,
                           u"--bcrypt-cost"_s,     u"4"_s,
                           u"--signup-mode"_s,     u"closed"_s,
                           u"--default-team-name"_s, u"Ops"_s,
                           u"--max-body-bytes"_s,  u"2mb"_s,
                           u"--db-threads"_s,      u"3"_s,
                           u"--metrics-loopback-only"_s,
                           u"--no-access-log"_s,
                           u"--jwt-expires-in"_s,  u"15m"_s}
            << QStringList{u"ACCESS_LOG=true"_s, u"METRICS_LOOPBACK_ONLY=false"_s} << QString()
            << QString()
            << QVariantMap{{u"publicUrl"_s, u"https://inbox.example.com"_s},
                           {u"corsOrigins"_s,
                            QStringList{u"https://a.example.com"_s, u"http://localhost:3000"_s}},
                           {u"dataDir"_s, u"@DATA@"_s},
                           {u"databaseUrl"_s, u"sqlite://@DATA@/inbox.db"_s},
                           {u"bcryptCost"_s, 4},
                           {u"signupMode"_s, u"closed"_s},
                           {u"defaultTeamName"_s, u"Ops"_s},
                           {u"maxBodyBytes"_s, qint64(2 * 1024 * 1024)},
                           {u"dbThreads"_s, 3},
                           {u"metricsLoopbackOnly"_s, true},
                           {u"accessLog"_s, false},
                           {u"accessTokenTtlSeconds"_s, 900}};

    QTest::addRow("the original's environment names")
            << QStringList()
            << QStringList{
                       u"DATA_DIR=@DATA@"_s,
                       u"PORT=4000"_s,
                       u"DATABASE_URL=postgres://inbox:pw@db.internal:5432/inbox?schema=public"_s,
                       u"JWT_SECRET="_s + LongSecret,
                       u"JWT_EXPIRES_IN=15m"_s,
                       u"CORS_ORIGIN=http://localhost:3000, https://App.Example.com:443/"_s,
                       u"GOOGLE_CLIENT_ID=123.apps.googleusercontent.com"_s,
                       u"GOOGLE_CLIENT_SECRET=g-secret"_s,
                       u"GOOGLE_CALLBACK_URL=https://inbox.example.com/api/auth/google/callback/"_s,
                       u"GOOGLE_DISCOVERY_URL=http://127.0.0.1:9/.well-known/openid-configuration"_s,
                       u"GOOGLE_ALLOWED_DOMAINS= Example.com, ,corp.example.org"_s,
                       u"TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef"_s,
                       u"TWILIO_AUTH_TOKEN=t-token"_s,
                       u"TWILIO_SMS_FROM=+15550001111"_s,
                       u"TWILIO_WHATSAPP_FROM=whatsapp:+15550002222"_s,
                       u"DEFAULT_TEAM_NAME=Support"_s,
                       u"SCHEDULER_POLL_MS=1000"_s}
            << QString() << QString()
            << QVariantMap{
                       {u"port"_s, 4000},
                       {u"databaseUrl"_s,
                        u"postgresql://inbox:pw@db.internal:5432/inbox?schema=public"_s},
                       {u"isSqlite"_s, false},
                       {u"jwtSecret"_s, LongSecret},
                       {u"jwtSecretGenerated"_s, false},
                       {u"accessTokenTtlSeconds"_s, 900},
                       {u"corsOrigins"_s,
                        QStringList{u"http://localhost:3000"_s, u"https://app.example.com"_s}},
                       {u"googleClientId"_s, u"123.apps.googleusercontent.com"_s},
                       {u"googleClientSecret"_s, u"g-secret"_s},
                       // Kept byte for byte: it must match what is registered with Google.
                       {u"googleCallbackUrl"_s,
                        u"https://inbox.example.com/api/auth/google/callback/"_s},
                       {u"googleDiscoveryUrl"_s,
                        u"http://127.0.0.1:9/.well-known/openid-configuration"_s},
                       {u"googleAllowedDomains"_s,
                        QStringList{u"example.com"_s, u"corp.example.org"_s}},
                       {u"twilioAccountSid"_s, u"AC0123456789abcdef0123456789abcdef"_s},
                       {u"twilioAuthToken"_s, u"t-token"_s},
                       {u"twilioSmsFrom"_s, u"+15550001111"_s},
                       {u"twilioWhatsappFrom"_s, u"whatsapp:+15550002222"_s},
                       {u"defaultTeamName"_s, u"Support"_s},
                       {u"schedulerPollMs"_s, 1000}};

    QTest::addRow("CORS_ORIGIN * allows any origin")
            << QStringList() << QStringList{u"DATA_DIR=@DATA@"_s, u"CORS_ORIGIN=*"_s}
            << QString() << QString() << QVariantMap{{u"corsOrigins"_s, QStringList{u"*"_s}}};
    QTest::addRow("CORS_ORIGIN list in the config file")
            << QStringList() << QStringList{u"DATA_DIR=@DATA@"_s}
            << u"CORS_ORIGIN=https://a.example.com, https://b.example.com:8443\n"_s << u"flag"_s
            << QVariantMap{{u"corsOrigins"_s, QStringList{u"https://a.example.com"_s,
                                                          u"https://b.example.com:8443"_s}}};
    QTest::addRow("durations, sizes and switches from the environment")
            << QStringList()
            << QStringList{u"DATA_DIR=@DATA@"_s,
                           u"ACCESS_LOG=0"_s,
                           u"METRICS_LOOPBACK_ONLY=yes"_s,
                           u"MAX_BODY_BYTES=512kb"_s,
                           u"MEDIA_MAX_BYTES=10mb"_s,
                           u"DB_THREADS=8"_s,
                           u"REFRESH_TOKEN_TTL=14d"_s,
                           u"INVITATION_TTL=48h"_s,
                           u"LOGIN_THROTTLE_WINDOW=10m"_s,
                           u"LOGIN_MAX_FAILURES_PER_ACCOUNT=3"_s,
                           u"LOGIN_MAX_FAILURES_PER_IP=50"_s,
                           u"SIGNUP_MODE=OPEN"_s,
                           u"JWT_EXPIRES_IN=3600"_s}
            << QString() << QString()
            << QVariantMap{{u"accessLog"_s, false},
                           {u"metricsLoopbackOnly"_s, true},
                           {u"maxBodyBytes"_s, qint64(512 * 1024)},
                           {u"mediaMaxBytes"_s, qint64(10 * 1024 * 1024)},
                           {u"dbThreads"_s, 8},
                           {u"refreshTokenTtlSeconds"_s, 14 * 86400},
                           {u"invitationTtlSeconds"_s, 48 * 3600},
                           {u"loginWindowSeconds"_s, 600},
                           {u"loginMaxFailuresPerAccount"_s, 3},
                           {u"loginMaxFailuresPerIp"_s, 50},
                           {u"signupMode"_s, u"open"_s},
                           {u"accessTokenTtlSeconds"_s, 3600}};
    QTest::addRow("retentions: defaults")
            << QStringList() << QStringList{u"DATA_DIR=@DATA@"_s} << QString() << QString()
            << QVariantMap{{u"eventRetentionSeconds"_s, 7 * 86400},
                           {u"webhookReceiptRetentionSeconds"_s, 30 * 86400},
                           {u"maintenanceIntervalSeconds"_s, 3600}};
    QTest::addRow("retentions: as short as the recovery window")
            << QStringList()
            << QStringList{u"DATA_DIR=@DATA@"_s, u"EVENT_RETENTION=2s"_s,
                           u"SOCKET_RECOVERY_WINDOW_MS=2000"_s, u"WEBHOOK_RECEIPT_RETENTION=1h"_s,
                           u"MAINTENANCE_INTERVAL=1s"_s}
            << QString() << QString()
            << QVariantMap{{u"eventRetentionSeconds"_s, 2},
                           {u"webhookReceiptRetentionSeconds"_s, 3600},
                           {u"maintenanceIntervalSeconds"_s, 1}};
    QTest::addRow("JWT_SECRET from the config file")
            << QStringList() << QStringList{u"DATA_DIR=@DATA@"_s}
            << u"JWT_SECRET="_s + LongSecret + u'\n' << u"flag"_s
            << QVariantMap{{u"jwtSecret"_s, LongSecret}, {u"jwtSecretGenerated"_s, false}};
    QTest::addRow("TWILIO_API_BASE pointing at a local fake")
            << QStringList()
            << QStringList{u"DATA_DIR=@DATA@"_s, u"TWILIO_API_BASE=http://127.0.0.1:4010/"_s}
            << QString() << QString()
            << QVariantMap{{u"twilioApiBase"_s, u"http://127.0.0.1:4010"_s}};
    QTest::addRow("relative DATA_DIR and sqlite paths are made absolute")
            << QStringList() << QStringList{u"DATA_DIR=@DATA@/a/../b"_s,
                                            u"DATABASE_URL=sqlite://db/inbox.sqlite"_s}
            << QString() << QString()
            << QVariantMap{{u"dataDir"_s, u"@DATA@/b"_s},
                           {u"databaseUrl"_s, u"sqlite://@DATA@/b/db/inbox.sqlite"_s}};
}

void TestConfig::loadsSettings()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(QString, file);
    QFETCH(QString, fileAt);
    QFETCH(QVariantMap, expect);

    QProcessEnvironment environment;
    prepareRow(args, environment, env, file, fileAt);
    if (QTest::currentTestFailed()) {
        return;
    }
    const Result<Config> config = load(args, environment);
    QVERIFY2(config.ok(), config.ok() ? "" : qPrintable(config.error().detail));

    const QVariantMap actual = fields(config.value());
    for (auto it = expect.cbegin(); it != expect.cend(); ++it) {
        QVERIFY2(actual.contains(it.key()), qPrintable(it.key()));
        QVariant expected = it.value();
        if (expected.typeId() == QMetaType::QString) {
            expected = expand(expected.toString());
        }
        QVERIFY2(actual.value(it.key()) == expected,
                 qPrintable(it.key() + u": got "_s + actual.value(it.key()).toString()
                            + actual.value(it.key()).toStringList().join(u',') + u", expected "_s
                            + expected.toString() + expected.toStringList().join(u',')));
    }
    QVERIFY(QFileInfo(config->dataDir).isDir());
    QVERIFY(config->jwtSecret.size() >= 32);
}

void TestConfig::refusesBadSettings_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("fileAt");
    QTest::addColumn<QString>("detail");

    const auto envRow = [](const char *name, const QString &variable, const QString &detail) {
        QTest::addRow("%s", name) << QStringList()
                                  << QStringList{u"DATA_DIR=@DATA@"_s, variable} << QString()
                                  << QString() << detail;
    };

    envRow("port too large", u"PORT=70000"_s, u"PORT \"70000\" is not a port number (1-65535)"_s);
    envRow("port zero", u"PORT=0"_s, u"PORT \"0\" is not a port number (1-65535)"_s);
    envRow("port not a number", u"PORT=http"_s,
           u"PORT \"http\" is not a port number (1-65535)"_s);
    QTest::addRow("bad port as a flag")
            << QStringList{u"--port"_s, u"99999"_s} << QStringList{u"DATA_DIR=@DATA@"_s}
            << QString() << QString() << u"PORT \"99999\" is not a port number (1-65535)"_s;
    QTest::addRow("bad port in the config file")
            << QStringList() << QStringList{u"DATA_DIR=@DATA@"_s} << u"PORT=abc\n"_s
            << u"flag"_s << u"PORT \"abc\" is not a port number (1-65535)"_s;
    envRow("bad host", u"HOST=not a host"_s,
           u"HOST \"not a host\" is not an IP address or host name"_s);

    envRow("database url scheme", u"DATABASE_URL=mysql://x"_s,
           u"DATABASE_URL \"mysql://x\" is not supported: use sqlite:///path or "
           "postgresql://user@host/db"_s);
    envRow("postgres url without host", u"DATABASE_URL=postgresql:///inbox"_s,
           u"DATABASE_URL \"postgresql:///inbox\" has no host: use postgresql://user@host/db"_s);
    envRow("database url errors hide the password", u"DATABASE_URL=postgres://u:hunter2@/inbox"_s,
           u"DATABASE_URL \"postgres://u:***@/inbox\" has no host: use "
           "postgresql://user@host/db"_s);
    envRow("sqlite folder cannot be created", u"DATABASE_URL=sqlite:///dev/null/x/inbox.db"_s,
           u"DATABASE_URL \"sqlite:///dev/null/x/inbox.db\": folder \"/dev/null/x\" does not "
           "exist and cannot be created"_s);
    envRow("public url scheme", u"PUBLIC_URL=ftp://x"_s,
           u"PUBLIC_URL \"ftp://x\" is not an http(s) URL"_s);
    envRow("cors origin scheme", u"CORS_ORIGIN=http://ok.example.com,ftp://x"_s,
           u"CORS_ORIGIN \"ftp://x\" is not an http(s) origin (scheme://host[:port] without a "
           "path, or *)"_s);
    envRow("cors origin with a path", u"CORS_ORIGIN=https://a.example.com/app"_s,
           u"CORS_ORIGIN \"https://a.example.com/app\" is not an http(s) origin "
           "(scheme://host[:port] without a path, or *)"_s);
    envRow("twilio api base scheme", u"TWILIO_API_BASE=api.twilio.com"_s,
           u"TWILIO_API_BASE \"api.twilio.com\" is not an http(s) URL"_s);
    envRow("google discovery url", u"GOOGLE_DISCOVERY_URL=accounts.google.com"_s,
           u"GOOGLE_DISCOVERY_URL \"accounts.google.com\" is not an http(s) URL"_s);
    envRow("google allowed domain", u"GOOGLE_ALLOWED_DOMAINS=example.com,@corp"_s,
           u"GOOGLE_ALLOWED_DOMAINS \"@corp\" is not a domain name (e.g. example.com)"_s);

    envRow("bcrypt cost too low", u"BCRYPT_COST=3"_s, u"BCRYPT_COST 3 is out of range (4-31)"_s);
    QTest::addRow("bcrypt cost too high as a flag")
            << QStringList{u"--bcrypt-cost"_s, u"32"_s} << QStringList{u"DATA_DIR=@DATA@"_s}
            << QString() << QString() << u"BCRYPT_COST 32 is out of range (4-31)"_s;
    envRow("bcrypt cost not a number", u"BCRYPT_COST=high"_s,
           u"BCRYPT_COST \"high\" is not a whole number"_s);
    envRow("signup mode", u"SIGNUP_MODE=x"_s,
           u"SIGNUP_MODE \"x\" must be invite, open or closed"_s);
    envRow("duration", u"JWT_EXPIRES_IN=soon"_s,
           u"JWT_EXPIRES_IN \"soon\" is not a duration (e.g. 3600, 90s, 15m, 1h, 7d)"_s);
    envRow("zero duration", u"REFRESH_TOKEN_TTL=0"_s,
           u"REFRESH_TOKEN_TTL \"0\" is not a duration (e.g. 3600, 90s, 15m, 1h, 7d)"_s);
    envRow("switch", u"ACCESS_LOG=maybe"_s, u"ACCESS_LOG \"maybe\" must be true or false"_s);
    envRow("size", u"MAX_BODY_BYTES=lots"_s,
           u"MAX_BODY_BYTES \"lots\" is not a size in bytes (e.g. 1048576, 512kb, 10mb)"_s);
    envRow("media size", u"MEDIA_MAX_BYTES=0"_s,
           u"MEDIA_MAX_BYTES \"0\" is not a size in bytes (e.g. 5242880, 5mb)"_s);
    envRow("db threads", u"DB_THREADS=-1"_s, u"DB_THREADS -1 is out of range (0-256)"_s);
    envRow("event retention shorter than the default recovery window", u"EVENT_RETENTION=1m"_s,
           u"EVENT_RETENTION \"1m\" is shorter than SOCKET_RECOVERY_WINDOW_MS 120000 (ms): a "
           "reconnecting client could miss events; raise EVENT_RETENTION or lower the window"_s);
    QTest::addRow("event retention shorter than the recovery window")
            << QStringList()
            << QStringList{u"DATA_DIR=@DATA@"_s, u"EVENT_RETENTION=10s"_s,
                           u"SOCKET_RECOVERY_WINDOW_MS=10001"_s}
            << QString() << QString()
            << u"EVENT_RETENTION \"10s\" is shorter than SOCKET_RECOVERY_WINDOW_MS 10001 (ms): a "
               "reconnecting client could miss events; raise EVENT_RETENTION or lower the window"_s;
    envRow("webhook receipt retention", u"WEBHOOK_RECEIPT_RETENTION=forever"_s,
           u"WEBHOOK_RECEIPT_RETENTION \"forever\" is not a duration (e.g. 3600, 90s, 15m, 1h, 7d)"_s);

    // Root ignores chmod, so the folder is made impossible instead: below a regular file.
    QTest::addRow("data dir cannot be created")
            << QStringList() << QStringList{u"DATA_DIR=/dev/null/x"_s} << QString() << QString()
            << u"Data folder \"/dev/null/x\" does not exist and cannot be created: check the path "
               "and its permissions, or set DATA_DIR"_s;
    QTest::addRow("data dir is a file")
            << QStringList{u"--data-dir"_s, u"/dev/null"_s} << QStringList() << QString()
            << QString() << u"Data folder \"/dev/null\" is a file, not a folder: set DATA_DIR to a "
                            "folder"_s;

    envRow("short JWT secret", u"JWT_SECRET=tooshort"_s,
           u"JWT_SECRET is only 8 bytes; it must be at least 32 bytes, or anyone who guesses it "
           "can forge sign-in tokens"_s);
    envRow("31-byte JWT secret", u"JWT_SECRET="_s + QString(31, u'x'),
           u"JWT_SECRET is only 31 bytes; it must be at least 32 bytes, or anyone who guesses it "
           "can forge sign-in tokens"_s);

    QTest::addRow("missing --config file")
            << QStringList{u"--config"_s, u"/nonexistent/inbox.conf"_s}
            << QStringList{u"DATA_DIR=@DATA@"_s} << QString() << QString()
            << u"Config file \"/nonexistent/inbox.conf\" (from --config) does not exist"_s;
    QTest::addRow("missing INBOX_CONFIG file")
            << QStringList()
            << QStringList{u"DATA_DIR=@DATA@"_s, u"INBOX_CONFIG=/nonexistent/inbox.conf"_s}
            << QString() << QString()
            << u"Config file \"/nonexistent/inbox.conf\" (from INBOX_CONFIG) does not exist"_s;
}

void TestConfig::refusesBadSettings()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(QString, file);
    QFETCH(QString, fileAt);
    QFETCH(QString, detail);

    QProcessEnvironment environment;
    prepareRow(args, environment, env, file, fileAt);
    if (QTest::currentTestFailed()) {
        return;
    }
    const Result<Config> config = load(args, environment);
    QVERIFY2(!config.ok(), "the configuration was accepted");
    QCOMPARE(config.error().detail, expand(detail));
    QCOMPARE(config.error().status, 400);
    QCOMPARE(config.error().type, u"bad-config"_s);
    QVERIFY(!config.error().detail.contains(u'\n'));
}

void TestConfig::refusesExistingUnwritableDataDir()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString data = dir.filePath(u"ro"_s);
    QVERIFY(QDir().mkpath(data));
    QVERIFY(QFile::setPermissions(data, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    QProcessEnvironment env;
    env.insert(u"DATA_DIR"_s, data);
    // Root writes through any mode bits (CI runs as root): load as an unprivileged user by
    // switching only the effective uid, which root may switch back. The folders are made
    // traversable for that user first.
    const bool root = ::geteuid() == 0;
    if (root) {
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
        QVERIFY(::chmod(QFile::encodeName(data).constData(), 0555) == 0);
        QVERIFY(::seteuid(65534) == 0);
    }
    const Result<Config> config = load({}, env);
    if (root) {
        QVERIFY(::seteuid(0) == 0);
    }
    QFile::setPermissions(data, QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                        | QFileDevice::ExeOwner);
    QVERIFY(!config.ok());
    QVERIFY2(config.error().detail.startsWith(u"Data folder \""_s + data + u"\" is not writable"_s),
             qPrintable(config.error().detail));
}

void TestConfig::parseDuration_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("seconds"); // -1: refused

    QTest::addRow("bare number is seconds") << u"3600"_s << 3600;
    QTest::addRow("seconds") << u"90s"_s << 90;
    QTest::addRow("minutes") << u"15m"_s << 900;
    QTest::addRow("hours") << u"1h"_s << 3600;
    QTest::addRow("days") << u"7d"_s << 7 * 86400;
    QTest::addRow("weeks") << u"1w"_s << 7 * 86400;
    QTest::addRow("years as ms counts them") << u"1y"_s << 31557600;
    QTest::addRow("long unit with a space") << u"2 days"_s << 2 * 86400;
    QTest::addRow("upper case unit") << u"10H"_s << 36000;
    QTest::addRow("fraction") << u"1.5h"_s << 5400;
    QTest::addRow("surrounding spaces") << u" 30m "_s << 1800;
    QTest::addRow("milliseconds") << u"5000ms"_s << 5;
    QTest::addRow("empty") << QString() << -1;
    QTest::addRow("word") << u"abc"_s << -1;
    QTest::addRow("zero") << u"0"_s << -1;
    QTest::addRow("zero seconds") << u"0s"_s << -1;
    QTest::addRow("negative") << u"-5"_s << -1;
    QTest::addRow("under a second") << u"500ms"_s << -1;
    QTest::addRow("unknown unit") << u"10x"_s << -1;
    QTest::addRow("compound") << u"1h30m"_s << -1;
    QTest::addRow("overflow") << u"99999999d"_s << -1;
}

void TestConfig::parseDuration()
{
    QFETCH(QString, text);
    QFETCH(int, seconds);
    const std::optional<int> parsed = ::parseDuration(text);
    QCOMPARE(parsed.value_or(-1), seconds);
}

void TestConfig::normaliseDatabaseUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("normalised"); // empty: refused

    QTest::addRow("sqlite absolute") << u"sqlite://@DATA@/x/app.db"_s
                                     << u"sqlite://@DATA@/x/app.db"_s;
    QTest::addRow("sqlite path is cleaned") << u"sqlite://@DATA@/a/../b.db"_s
                                            << u"sqlite://@DATA@/b.db"_s;
    QTest::addRow("sqlite: relative") << u"sqlite:relative.db"_s << u"sqlite://@DATA@/relative.db"_s;
    QTest::addRow("sqlite:// relative") << u"sqlite://sub/rel.db"_s
                                        << u"sqlite://@DATA@/sub/rel.db"_s;
    QTest::addRow("bare absolute path") << u"@DATA@/bare.sqlite"_s
                                        << u"sqlite://@DATA@/bare.sqlite"_s;
    QTest::addRow("bare relative path") << u"bare.db"_s << u"sqlite://@DATA@/bare.db"_s;
    QTest::addRow("postgres:// becomes postgresql://") << u"postgres://u:p@db:5432/inbox"_s
                                                       << u"postgresql://u:p@db:5432/inbox"_s;
    QTest::addRow("postgresql:// kept") << u"postgresql://localhost/inbox?sslmode=disable"_s
                                        << u"postgresql://localhost/inbox?sslmode=disable"_s;
    QTest::addRow("scheme case") << u"POSTGRES://h/db"_s << u"postgresql://h/db"_s;
    QTest::addRow("socket folder as host parameter")
            << u"postgresql:///inbox?host=/run/postgresql"_s
            << u"postgresql:///inbox?host=/run/postgresql"_s;
    QTest::addRow("mysql") << u"mysql://x"_s << QString();
    QTest::addRow("postgres without host") << u"postgresql:///inbox"_s << QString();
    QTest::addRow("sqlite without a path") << u"sqlite://"_s << QString();
    QTest::addRow("empty") << QString() << QString();
    QTest::addRow("sqlite folder under a file") << u"sqlite:///dev/null/x/db.sqlite"_s
                                                << QString();
    QTest::addRow("sqlite names a folder") << u"sqlite://@DATA@"_s << QString();
    QTest::addRow("bare word") << u"inbox"_s << QString();
}

void TestConfig::normaliseDatabaseUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, normalised);
    m_rowDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_rowDir->isValid());
    QVERIFY(QDir().mkpath(expand(u"@DATA@"_s)));

    const Result<QString> result = ::normaliseDatabaseUrl(expand(url), expand(u"@DATA@"_s));
    if (normalised.isEmpty()) {
        QVERIFY2(!result.ok(), result.ok() ? qPrintable(result.value()) : "");
        QCOMPARE(result.error().type, u"bad-config"_s);
        QVERIFY(result.error().detail.startsWith(u"DATABASE_URL"_s));
    } else {
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().detail));
        QCOMPARE(result.value(), expand(normalised));
    }
}

void TestConfig::jwtSecretIsGeneratedOnceAndKeptOwnerOnly()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcessEnvironment env;
    env.insert(u"DATA_DIR"_s, dir.path());

    const Result<Config> first = load({}, env);
    QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().detail));
    QVERIFY(first->jwtSecretGenerated);
    // 48 random bytes, base64url without padding.
    QCOMPARE(first->jwtSecret.size(), 64);
    QVERIFY(QByteArray::fromBase64Encoding(first->jwtSecret, QByteArray::Base64UrlEncoding
                                                                     | QByteArray::AbortOnBase64DecodingErrors)
                    .decodingStatus
            == QByteArray::Base64DecodingStatus::Ok);

    const QString path = dir.filePath(u"jwt-secret"_s);
    QCOMPARE(QFile::permissions(path) & ModeBits, Mode0600);
    QFile stored(path);
    QVERIFY(stored.open(QIODevice::ReadOnly));
    QCOMPARE(stored.readAll(), first->jwtSecret);
    // No temporary file left behind.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList{u"jwt-secret"_s});

    const Result<Config> second = load({}, env);
    QVERIFY2(second.ok(), second.ok() ? "" : qPrintable(second.error().detail));
    QVERIFY(!second->jwtSecretGenerated);
    QCOMPARE(second->jwtSecret, first->jwtSecret);

    // A given JWT_SECRET wins over the stored one, and the file is left as it was.
    env.insert(u"JWT_SECRET"_s, LongSecret);
    const Result<Config> third = load({}, env);
    QVERIFY(third.ok());
    QCOMPARE(third->jwtSecret, LongSecret.toUtf8());
    QVERIFY(!third->jwtSecretGenerated);
}

void TestConfig::jwtSecretFileIsReadWhenMayNotCreate()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcessEnvironment env;
    env.insert(u"DATA_DIR"_s, dir.path());
    // Written by hand with a trailing newline, as `echo ... > jwt-secret` would.
    writeFile(dir.filePath(u"jwt-secret"_s), LongSecret + u'\n', Mode0600);

    const Result<Config> config = load({}, env, /*mayCreateSecret=*/false);
    QVERIFY2(config.ok(), config.ok() ? "" : qPrintable(config.error().detail));
    QCOMPARE(config->jwtSecret, LongSecret.toUtf8());
    QVERIFY(!config->jwtSecretGenerated);
}

void TestConfig::jwtSecretIsRequiredWhenMayNotCreate()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcessEnvironment env;
    env.insert(u"DATA_DIR"_s, dir.path());

    const Result<Config> config = load({}, env, /*mayCreateSecret=*/false);
    QVERIFY(!config.ok());
    QCOMPARE(config.error().detail,
             u"JWT_SECRET is not set and \""_s + dir.filePath(u"jwt-secret"_s)
                     + u"\" does not exist: set JWT_SECRET, or start the server once to "
                       "generate it"_s);
    QVERIFY(!QFile::exists(dir.filePath(u"jwt-secret"_s)));
}

void TestConfig::looseJwtSecretFileIsRefused()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"jwt-secret"_s);
    writeFile(path, LongSecret, Mode0644);
    QProcessEnvironment env;
    env.insert(u"DATA_DIR"_s, dir.path());

    const Result<Config> config = load({}, env);
    QVERIFY(!config.ok());
    QCOMPARE(config.error().detail,
             u"Secret file \""_s + path + u"\" is accessible to other users (mode 0644): run "
                                          "chmod 600 \""_s + path + u"\""_s);
    QVERIFY(!config.error().detail.contains(LongSecret));
    // Not silently replaced: the user decides.
    QCOMPARE(QFile::permissions(path) & ModeBits, Mode0644);
}

void TestConfig::shortStoredJwtSecretIsRefused()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"jwt-secret"_s);
    writeFile(path, u"short\n"_s, Mode0600);
    QProcessEnvironment env;
    env.insert(u"DATA_DIR"_s, dir.path());

    const Result<Config> config = load({}, env);
    QVERIFY(!config.ok());
    QCOMPARE(config.error().detail,
             u"The JWT secret in \""_s + path
                     + u"\" is only 5 bytes; it must be at least 32: delete the file to have a "
                       "new one generated, or set JWT_SECRET"_s);
}

void TestConfig::secretFileRoundTripsOwnerOnly()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"nested/folder/secret"_s);
    const QByteArray secret("\x00\x01binary secret\xff", 17);

    const Status written = SecretFile::write(path, secret);
    QVERIFY2(written.ok(), written.ok() ? "" : qPrintable(written.error().detail));
    QCOMPARE(QFile::permissions(path) & ModeBits, Mode0600);
    const Result<QByteArray> read = SecretFile::read(path);
    QVERIFY2(read.ok(), read.ok() ? "" : qPrintable(read.error().detail));
    QCOMPARE(read.value(), secret);

    // write() replaces, and the replacement is owner-only too.
    QVERIFY(SecretFile::write(path, "second").ok());
    QCOMPARE(QFile::permissions(path) & ModeBits, Mode0600);
    QCOMPARE(SecretFile::read(path).value(), QByteArray("second"));
    QCOMPARE(QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files | QDir::Hidden),
             QStringList{u"secret"_s});
}

void TestConfig::secretFileCreateRefusesAnExistingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"secret"_s);
    QVERIFY(SecretFile::create(path, "first").ok());
    const Status again = SecretFile::create(path, "second");
    QVERIFY(!again.ok());
    QCOMPARE(SecretFile::read(path).value(), QByteArray("first"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{u"secret"_s});
}

void TestConfig::secretFileReadRefusesLooseModes_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("accepted");

    QTest::addRow("0600") << 0600 << true;
    QTest::addRow("0400") << 0400 << true;
    QTest::addRow("0644") << 0644 << false;
    QTest::addRow("0640") << 0640 << false;
    QTest::addRow("0604") << 0604 << false;
    QTest::addRow("0620") << 0620 << false;
}

void TestConfig::secretFileReadRefusesLooseModes()
{
    QFETCH(int, mode);
    QFETCH(bool, accepted);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"secret"_s);
    QFileDevice::Permissions permissions;
    permissions.setFlag(QFileDevice::ReadOwner, mode & 0400);
    permissions.setFlag(QFileDevice::WriteOwner, mode & 0200);
    permissions.setFlag(QFileDevice::ReadGroup, mode & 040);
    permissions.setFlag(QFileDevice::WriteGroup, mode & 020);
    permissions.setFlag(QFileDevice::ReadOther, mode & 04);
    permissions.setFlag(QFileDevice::WriteOther, mode & 02);
    writeFile(path, LongSecret, permissions);

    const Result<QByteArray> read = SecretFile::read(path);
    QCOMPARE(read.ok(), accepted);
    if (!accepted) {
        QVERIFY2(read.error().detail.contains(u"chmod 600"_s), qPrintable(read.error().detail));
        QVERIFY(!read.error().detail.contains(LongSecret));
    }
}

void TestConfig::configFileWarnsAboutUnknownKeysAndReadableSecrets()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"inbox.conf"_s);
    writeFile(path, u"PROT=5001\nJWT_SECRET="_s + LongSecret + u'\n', Mode0644);
    QProcessEnvironment env;
    env.insert(u"DATA_DIR"_s, dir.filePath(u"data"_s));

    QTest::ignoreMessage(QtWarningMsg,
                         qPrintable(u"Config file "_s + path + u" has an unknown key PROT (ignored)"_s));
    QTest::ignoreMessage(QtWarningMsg,
                         qPrintable(u"Config file "_s + path
                                    + u" holds secrets but other users can read it: run chmod 600 "_s
                                    + path));
    const Result<Config> config = load({u"--config"_s, path}, env);
    QVERIFY(config.ok());
    QCOMPARE(config->port, quint16(5000));
    QCOMPARE(config->jwtSecret, LongSecret.toUtf8());
}

void TestConfig::secretsHaveNoFlag()
{
    // argv is visible to every user on the machine (ps, /proc): secrets have no flag.
    for (const char *flag : {"--jwt-secret", "--twilio-auth-token", "--google-client-secret"}) {
        QCommandLineParser parser;
        addConfigOptions(parser);
        QVERIFY2(!parser.parse({u"inbox-central"_s, QString::fromLatin1(flag), u"x"_s}), flag);
    }
}

void TestConfig::everySettingHasAFlagOrIsDocumented()
{
    const QStringList names = configVariableNames();
    const QStringList expected{
        u"HOST"_s, u"PORT"_s, u"PUBLIC_URL"_s, u"CORS_ORIGIN"_s, u"DATA_DIR"_s,
        u"DATABASE_URL"_s, u"JWT_SECRET"_s, u"JWT_EXPIRES_IN"_s, u"REFRESH_TOKEN_TTL"_s,
        u"BCRYPT_COST"_s, u"SIGNUP_MODE"_s, u"DEFAULT_TEAM_NAME"_s, u"INVITATION_TTL"_s,
        u"LOGIN_THROTTLE_WINDOW"_s, u"LOGIN_MAX_FAILURES_PER_ACCOUNT"_s,
        u"LOGIN_MAX_FAILURES_PER_IP"_s, u"MAX_BODY_BYTES"_s, u"METRICS_LOOPBACK_ONLY"_s,
        u"ACCESS_LOG"_s, u"DB_THREADS"_s, u"HTTP_THREADS"_s, u"READ_CACHE_SIZE"_s,
        u"READ_CACHE_MAX_AGE_MS"_s, u"TWILIO_ACCOUNT_SID"_s, u"TWILIO_AUTH_TOKEN"_s,
        u"TWILIO_API_BASE"_s, u"TWILIO_SMS_FROM"_s, u"TWILIO_WHATSAPP_FROM"_s,
        u"GOOGLE_CLIENT_ID"_s, u"GOOGLE_CLIENT_SECRET"_s, u"GOOGLE_CALLBACK_URL"_s,
        u"GOOGLE_DISCOVERY_URL"_s, u"GOOGLE_ALLOWED_DOMAINS"_s,
        u"SCHEDULER_POLL_MS"_s, u"JOB_LEASE_MS"_s, u"SOCKET_PING_INTERVAL_MS"_s, u"SOCKET_PING_TIMEOUT_MS"_s,
        u"SOCKET_MAX_PAYLOAD"_s, u"SOCKET_MAX_CONNECTIONS"_s, u"SOCKET_RECOVERY_WINDOW_MS"_s,
        u"MEDIA_MAX_BYTES"_s, u"EVENT_RETENTION"_s, u"WEBHOOK_RECEIPT_RETENTION"_s,
        u"MAINTENANCE_INTERVAL"_s};
    QCOMPARE(names, expected);

    const QString help = environmentHelp();
    const QStringList lines = help.split(u'\n');
    for (const QString &name : names + QStringList{u"INBOX_CONFIG"_s}) {
        const auto line = std::find_if(lines.cbegin(), lines.cend(), [&name](const QString &l) {
            return l.startsWith(u"  "_s + name + u' ');
        });
        QVERIFY2(line != lines.cend(), qPrintable(name));
        QVERIFY2(line->contains(u"[default: "_s), qPrintable(*line));
    }

    QCommandLineParser parser;
    addConfigOptions(parser);
    const QStringList flags{u"host"_s, u"port"_s, u"public-url"_s, u"cors-origin"_s,
                            u"data-dir"_s, u"database-url"_s, u"config"_s, u"bcrypt-cost"_s,
                            u"signup-mode"_s, u"default-team-name"_s, u"max-body-bytes"_s,
                            u"db-threads"_s, u"http-threads"_s, u"metrics-loopback-only"_s, u"no-access-log"_s,
                            u"jwt-expires-in"_s};
    // QCommandLineParser does not list its options: read them back from the help text.
    static const QRegularExpression optionLine(u"^\\s+--([a-z-]+)(?: <[a-z]+>)?\\s+\\S"_s);
    QStringList declared;
    for (const QString &line : parser.helpText().split(u'\n')) {
        if (const QRegularExpressionMatch m = optionLine.match(line); m.hasMatch()) {
            declared += m.captured(1);
        }
    }
    declared.sort();
    QStringList sortedFlags = flags;
    sortedFlags.sort();
    QCOMPARE(declared, sortedFlags);
}

void TestConfig::loaderLeavesTheApplicationNameAlone()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcessEnvironment env;
    env.insert(u"DATA_DIR"_s, dir.path());
    QVERIFY(load({}, env).ok());
    QVERIFY(QCoreApplication::applicationName().isEmpty());
}

QTEST_APPLESS_MAIN(TestConfig)
#include "tst_config.moc"
