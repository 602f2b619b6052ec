// SPDX-License-Identifier: MIT
#pragma once
// Where the desktop app keeps its secrets (the Google client secret the embedded server needs):
// the OS keychain through QtKeychain where one runs, else an owner-only file
// (ARCHITECTURE.md "Configuration and secrets"). The keychain answers asynchronously, so every
// call takes a callback, run on `context`'s thread (never if `context` is gone).

#include "core/result.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class DesktopSecrets : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // "keychain" or "file": what the settings window tells the user.
    [[nodiscard]] virtual QString backendName() const = 0;
    // Where the secrets are: the keychain's service name, or the folder of files.
    [[nodiscard]] virtual QString location() const = 0;

    virtual void write(const QString &key, const QByteArray &secret, QObject *context,
                       std::function<void(Status)> done) = 0;
    virtual void read(const QString &key, QObject *context,
                      std::function<void(Result<std::optional<QByteArray>>)> done) = 0;
    virtual void remove(const QString &key, QObject *context, std::function<void(Status)> done) = 0;
};
