// SPDX-License-Identifier: MIT
#include "keychainsecrets.h"

#include <qt6keychain/keychain.h>


using namespace Qt::StringLiterals;

namespace {

// The keychain's own message names the backend's problem, never the secret.
ApiError keychainError(const QKeychain::Job *job)
{
    return ApiError::internal(u"Keychain: %1"_s.arg(job->errorString()));
}

} // namespace

KeychainSecrets::KeychainSecrets(QString service, QObject *parent)
    : DesktopSecrets(parent), m_service(std::move(service))
{
}

QString KeychainSecrets::backendName() const
{
    return u"keychain"_s;
}

QString KeychainSecrets::location() const
{
    return m_service;
}

void KeychainSecrets::write(const QString &key, const QByteArray &secret, QObject *context,
                            std::function<void(Status)> done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setBinaryData(secret);
    connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *job) {
        if (job->error() != QKeychain::NoError) {
            return done(keychainError(job));
        }
        done(Done{});
    });
    job->start();
}

void KeychainSecrets::read(const QString &key, QObject *context,
                           std::function<void(Result<std::optional<QByteArray>>)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *job) {
        if (job->error() == QKeychain::EntryNotFound) {
            return done(std::optional<QByteArray>());
        }
        if (job->error() != QKeychain::NoError) {
            return done(keychainError(job));
        }
        done(std::optional<QByteArray>(static_cast<QKeychain::ReadPasswordJob *>(job)->binaryData()));
    });
    job->start();
}

void KeychainSecrets::remove(const QString &key, QObject *context, std::function<void(Status)> done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *job) {
        if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound) {
            return done(keychainError(job));
        }
        done(Done{});
    });
    job->start();
}
