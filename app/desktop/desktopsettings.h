// SPDX-License-Identifier: MIT
#pragma once
// What the desktop app remembers between runs (the settings window edits it): whether it runs
// the server in-process or talks to a remote one, and the embedded server's settings. Kept in a
// QSettings INI file; secrets never go here (DesktopSecrets holds them).

#include "config/config.h"
#include "core/result.h"

#include <QProcessEnvironment>
#include <QString>

class QSettings;

struct DesktopSettings
{
    enum class Mode { Embedded, Remote };

    Mode mode = Mode::Embedded;
    QString remoteUrl;        // the server the remote mode talks to, e.g. https://inbox.example.com

    // The embedded server, by the environment variable each one becomes (config/config.h).
    QString host = QStringLiteral("127.0.0.1"); // HOST: the desktop listens on this machine only
    quint16 port = 5000;                         // PORT
    QString databaseUrl;      // DATABASE_URL; empty: SQLite in the data folder
    QString dataDir;          // DATA_DIR; empty: the server's default
    QString publicUrl;        // PUBLIC_URL
    QString corsOrigins;      // CORS_ORIGIN, comma separated
    QString twilioApiBase;    // TWILIO_API_BASE; empty: https://api.twilio.com
    QString googleClientId;   // GOOGLE_CLIENT_ID
    QString googleCallbackUrl; // GOOGLE_CALLBACK_URL

    // The secret kept in DesktopSecrets under this key is passed as GOOGLE_CLIENT_SECRET.
    static constexpr const char *GoogleClientSecretKey = "googleClientSecret";

    // ~/.config/inbox-central/desktop.conf, or $INBOX_DESKTOP_CONFIG when set (tests).
    [[nodiscard]] static QString defaultFile();

    [[nodiscard]] static DesktopSettings load(QSettings &settings);
    void save(QSettings &settings) const;

    // The URL the inbox and the admin calls use: the remote URL, or the embedded server's
    // loopback address on `listeningPort` (0: the configured port).
    [[nodiscard]] QString serverUrl(quint16 listeningPort = 0) const;

    // The embedded server's configuration: `base` (the process environment) overlaid with these
    // settings, resolved by the server's own loader so every rule (normalised database URL,
    // generated JWT secret, data folder checks) is the headless server's.
    [[nodiscard]] Result<Config> serverConfig(const QProcessEnvironment &base,
                                              const QByteArray &googleClientSecret = {}) const;

    friend bool operator==(const DesktopSettings &, const DesktopSettings &) = default;
};
