// SPDX-License-Identifier: MIT
#include "filesecrets.h"

#include <QDir>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace {

// The callbacks run later, like the keychain's, so callers cannot come to rely on a synchronous
// answer that the other backend never gives.
template<typename T>
void answerLater(QObject *context, std::function<void(T)> done, T value)
{
    QMetaObject::invokeMethod(
            context, [done = std::move(done), value = std::move(value)]() mutable { done(std::move(value)); },
            Qt::QueuedConnection);
}

} // namespace

FileSecrets::FileSecrets(const QString &folder, QObject *parent)
    : DesktopSecrets(parent), m_store(folder)
{
}

QString FileSecrets::defaultFolder(const QString &dataDir)
{
    QString base = dataDir;
    if (base.isEmpty()) {
        base = QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
                       .filePath(u"inbox-central"_s);
    }
    return QDir(base).filePath(u"desktop-secrets"_s);
}

QString FileSecrets::backendName() const
{
    return u"file"_s;
}

QString FileSecrets::location() const
{
    return m_store.folder();
}

QString FileSecrets::fileFor(const QString &key) const
{
    QString name = key;
    name.replace(u':', u"%3A"_s); // as SecretStore names its files
    return QDir(m_store.folder()).filePath(name + u".secret"_s);
}

void FileSecrets::write(const QString &key, const QByteArray &secret, QObject *context,
                        std::function<void(Status)> done)
{
    answerLater<Status>(context, std::move(done), m_store.put(key, secret));
}

void FileSecrets::read(const QString &key, QObject *context,
                       std::function<void(Result<std::optional<QByteArray>>)> done)
{
    answerLater<Result<std::optional<QByteArray>>>(context, std::move(done), m_store.get(key));
}

void FileSecrets::remove(const QString &key, QObject *context, std::function<void(Status)> done)
{
    answerLater<Status>(context, std::move(done), m_store.remove(key));
}
