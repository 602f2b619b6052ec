// SPDX-License-Identifier: MIT
#include "secretbackendchooser.h"

#include "filesecrets.h"
#include "keychainsecrets.h"

#include "core/logging.h"

#include <qt6keychain/keychain.h>

#include <QFileInfo>
#include <QTimer>

#include <memory>

#include <unistd.h>

using namespace Qt::StringLiterals;

bool SecretBackendChooser::hasSessionBus(const QProcessEnvironment &env)
{
#if defined(Q_OS_LINUX)
    if (!env.value(u"DBUS_SESSION_BUS_ADDRESS"_s).isEmpty()) {
        return true;
    }
    // systemd's per-user bus is found there even when the variable is not set.
    return QFileInfo::exists(u"/run/user/%1/bus"_s.arg(::getuid()));
#else
    Q_UNUSED(env);
    return true;
#endif
}

void SecretBackendChooser::choose(const QString &fileFolder, const QProcessEnvironment &env,
                                  QObject *parent, std::function<void(SecretBackendChoice)> done)
{
    const auto useFile = [fileFolder, parent, done](const QString &reason) {
        qCInfo(lcConfig) << "desktop secrets: owner-only files in" << fileFolder << "-" << reason;
        done({new FileSecrets(fileFolder, parent), reason});
    };
    // Choices made without asking anybody are still answered later, as a probe's would be.
    const auto later = [parent](std::function<void()> answer) {
        QMetaObject::invokeMethod(parent, std::move(answer), Qt::QueuedConnection);
    };
    const QString forced = env.value(u"INBOX_SECRET_BACKEND"_s);
    if (forced == u"file"_s) {
        return later([useFile] { useFile(tr("INBOX_SECRET_BACKEND=file")); });
    }
    if (forced == u"keychain"_s) {
        return later([parent, done] {
            done({new KeychainSecrets(u"inbox-central"_s, parent), tr("INBOX_SECRET_BACKEND=keychain")});
        });
    }
    if (!hasSessionBus(env)) {
        return later([useFile] { useFile(tr("no D-Bus session bus, so no keychain service")); });
    }

    // A read of a key that is never written: "not found" means a keychain answered.
    auto *probe = new QKeychain::ReadPasswordJob(u"inbox-central"_s, parent);
    probe->setAutoDelete(false);
    probe->setKey(u"probe"_s);
    auto *timeout = new QTimer(probe);
    timeout->setSingleShot(true);
    auto finished = std::make_shared<bool>(false);
    QObject::connect(probe, &QKeychain::Job::finished, parent,
                     [probe, parent, done, useFile, finished](QKeychain::Job *) {
                         if (*finished) {
                             return;
                         }
                         *finished = true;
                         const QKeychain::Error error = probe->error();
                         const QString why = probe->errorString();
                         probe->deleteLater();
                         if (error == QKeychain::NoError || error == QKeychain::EntryNotFound) {
                             qCInfo(lcConfig) << "desktop secrets: OS keychain";
                             done({new KeychainSecrets(u"inbox-central"_s, parent),
                                   tr("the OS keychain answered")});
                             return;
                         }
                         useFile(tr("the keychain failed: %1").arg(why));
                     });
    QObject::connect(timeout, &QTimer::timeout, parent, [probe, useFile, finished] {
        if (*finished) {
            return;
        }
        *finished = true;
        probe->deleteLater();
        useFile(tr("the keychain did not answer"));
    });
    timeout->start(ProbeTimeoutMs);
    probe->start();
}
