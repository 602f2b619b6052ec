// SPDX-License-Identifier: MIT
#pragma once
// Picks the desktop's secret store at start-up: the OS keychain when one answers, else the
// owner-only files. On Linux the keychain is the Secret Service on the D-Bus session bus: with
// no session bus (a server, a container, the tests) QtKeychain could only fail, so the files are
// chosen without asking; with one, a probe read tells whether a Secret Service answers.
// INBOX_SECRET_BACKEND=file|keychain forces the choice.

#include <QCoreApplication>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>

#include <functional>

class DesktopSecrets;

struct SecretBackendChoice
{
    DesktopSecrets *secrets = nullptr; // owned by the `parent` given to choose()
    QString reason;                    // one sentence for the log and the settings window
};

class SecretBackendChooser
{
    Q_DECLARE_TR_FUNCTIONS(SecretBackendChooser)
public:
    static constexpr int ProbeTimeoutMs = 5000;

    // `done` runs on `parent`'s thread once the choice is made (possibly after a probe).
    static void choose(const QString &fileFolder, const QProcessEnvironment &env, QObject *parent,
                       std::function<void(SecretBackendChoice)> done);

    // Whether a D-Bus session bus can be reached at all (Linux); true elsewhere.
    [[nodiscard]] static bool hasSessionBus(const QProcessEnvironment &env);
};
