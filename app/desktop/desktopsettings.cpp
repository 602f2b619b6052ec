// SPDX-License-Identifier: MIT
#include "desktopsettings.h"

#include <QCommandLineParser>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace {

const QString kMode = u"mode"_s;
const QString kRemoteUrl = u"remote/url"_s;
const QString kHost = u"server/host"_s;
const QString kPort = u"server/port"_s;
const QString kDatabaseUrl = u"server/databaseUrl"_s;
const QString kDataDir = u"server/dataDir"_s;
const QString kPublicUrl = u"server/publicUrl"_s;
const QString kCors = u"server/corsOrigins"_s;
const QString kTwilioApiBase = u"twilio/apiBase"_s;
const QString kGoogleClientId = u"google/clientId"_s;
const QString kGoogleCallbackUrl = u"google/callbackUrl"_s;

void setOrKeep(QProcessEnvironment &env, const QString &name, const QString &value)
{
    if (!value.trimmed().isEmpty()) {
        env.insert(name, value.trimmed());
    }
}

} // namespace

QString DesktopSettings::defaultFile()
{
    const QString fromEnv = qEnvironmentVariable("INBOX_DESKTOP_CONFIG");
    if (!fromEnv.isEmpty()) {
        return fromEnv;
    }
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
            .filePath(u"inbox-central/desktop.conf"_s);
}

DesktopSettings DesktopSettings::load(QSettings &s)
{
    DesktopSettings d;
    d.mode = s.value(kMode).toString() == u"remote"_s ? Mode::Remote : Mode::Embedded;
    d.remoteUrl = s.value(kRemoteUrl).toString();
    d.host = s.value(kHost, d.host).toString();
    bool ok = false;
    const uint port = s.value(kPort, d.port).toUInt(&ok);
    if (ok && port <= 65535) {
        d.port = quint16(port);
    }
    d.databaseUrl = s.value(kDatabaseUrl).toString();
    d.dataDir = s.value(kDataDir).toString();
    d.publicUrl = s.value(kPublicUrl).toString();
    d.corsOrigins = s.value(kCors).toString();
    d.twilioApiBase = s.value(kTwilioApiBase).toString();
    d.googleClientId = s.value(kGoogleClientId).toString();
    d.googleCallbackUrl = s.value(kGoogleCallbackUrl).toString();
    return d;
}

void DesktopSettings::save(QSettings &s) const
{
    s.setValue(kMode, mode == Mode::Remote ? u"remote"_s : u"embedded"_s);
    s.setValue(kRemoteUrl, remoteUrl);
    s.setValue(kHost, host);
    s.setValue(kPort, port);
    s.setValue(kDatabaseUrl, databaseUrl);
    s.setValue(kDataDir, dataDir);
    s.setValue(kPublicUrl, publicUrl);
    s.setValue(kCors, corsOrigins);
    s.setValue(kTwilioApiBase, twilioApiBase);
    s.setValue(kGoogleClientId, googleClientId);
    s.setValue(kGoogleCallbackUrl, googleCallbackUrl);
    s.sync();
}

QString DesktopSettings::serverUrl(quint16 listeningPort) const
{
    if (mode == Mode::Remote) {
        QString url = remoteUrl.trimmed();
        while (url.endsWith(u'/')) {
            url.chop(1);
        }
        return url;
    }
    // Whatever the listen address, this machine reaches the server on loopback.
    QString shown = host;
    if (shown.isEmpty() || shown == u"0.0.0.0"_s || shown == u"::"_s) {
        shown = u"127.0.0.1"_s;
    }
    if (shown.contains(u':')) {
        shown = u'[' + shown + u']';
    }
    return u"http://%1:%2"_s.arg(shown).arg(listeningPort != 0 ? listeningPort : port);
}

Result<Config> DesktopSettings::serverConfig(const QProcessEnvironment &base,
                                             const QByteArray &googleClientSecret) const
{
    QProcessEnvironment env = base;
    setOrKeep(env, u"HOST"_s, host);
    env.insert(u"PORT"_s, QString::number(port));
    setOrKeep(env, u"DATABASE_URL"_s, databaseUrl);
    setOrKeep(env, u"DATA_DIR"_s, dataDir);
    setOrKeep(env, u"PUBLIC_URL"_s, publicUrl);
    setOrKeep(env, u"CORS_ORIGIN"_s, corsOrigins);
    setOrKeep(env, u"TWILIO_API_BASE"_s, twilioApiBase);
    setOrKeep(env, u"GOOGLE_CLIENT_ID"_s, googleClientId);
    setOrKeep(env, u"GOOGLE_CALLBACK_URL"_s, googleCallbackUrl);
    if (!googleClientSecret.isEmpty()) {
        env.insert(u"GOOGLE_CLIENT_SECRET"_s, QString::fromUtf8(googleClientSecret));
    }
    QCommandLineParser parser;
    addConfigOptions(parser);
    // No flags: the settings come in through the environment only.
    (void)parser.parse(QStringList{u"inbox-central-desktop"_s});
    return loadConfig(parser, env, true);
}
