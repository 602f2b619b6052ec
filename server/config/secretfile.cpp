// SPDX-License-Identifier: MIT
#include "secretfile.h"

#include "config/config.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <filesystem>
#include <system_error>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {

// Secrets are short; a large file is a mistake (wrong path), not a secret.
constexpr qint64 MaxSecretFileBytes = 64 * 1024;

constexpr QFileDevice::Permissions OwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions GroupOrOther = QFileDevice::ReadGroup | QFileDevice::WriteGroup
        | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
        | QFileDevice::ExeOther;

QString modeText(QFileDevice::Permissions p)
{
    int mode = 0;
    mode |= p.testFlag(QFileDevice::ReadOwner) ? 0400 : 0;
    mode |= p.testFlag(QFileDevice::WriteOwner) ? 0200 : 0;
    mode |= p.testFlag(QFileDevice::ExeOwner) ? 0100 : 0;
    mode |= p.testFlag(QFileDevice::ReadGroup) ? 040 : 0;
    mode |= p.testFlag(QFileDevice::WriteGroup) ? 020 : 0;
    mode |= p.testFlag(QFileDevice::ExeGroup) ? 010 : 0;
    mode |= p.testFlag(QFileDevice::ReadOther) ? 04 : 0;
    mode |= p.testFlag(QFileDevice::WriteOther) ? 02 : 0;
    mode |= p.testFlag(QFileDevice::ExeOther) ? 01 : 0;
    return u"0"_s + QString::number(mode, 8).rightJustified(3, u'0');
}

// Makes the rename itself durable: without this a power cut can lose the new directory entry.
void syncDirectory([[maybe_unused]] const QString &dir)
{
#ifdef Q_OS_UNIX
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
#endif
}

} // namespace

Status SecretFile::write(const QString &path, QByteArrayView secret)
{
    return store(path, secret, Mode::Replace);
}

Status SecretFile::create(const QString &path, QByteArrayView secret)
{
    return store(path, secret, Mode::CreateNew);
}

Status SecretFile::store(const QString &path, QByteArrayView secret, Mode mode)
{
    const QFileInfo target(path);
    const QString dir = target.absolutePath();
    if (!QDir().mkpath(dir)) {
        return configError(u"Cannot create folder \"%1\" for the secret file"_s.arg(dir));
    }
    if (mode == Mode::CreateNew && target.exists()) {
        return configError(u"Secret file \"%1\" already exists"_s.arg(path));
    }

    // A fresh, exclusively created file in the same folder: the permissions are given to
    // open(2) itself, so the file never exists with a wider mode, even for an instant.
    QFile tmp;
    for (int attempt = 0; attempt < 16; ++attempt) {
        tmp.setFileName(target.absoluteFilePath() % u".tmp-"_s
                        % QString::number(QCoreApplication::applicationPid()) % u'-'
                        % QString::number(attempt));
        if (tmp.open(QIODevice::WriteOnly | QIODevice::NewOnly, OwnerOnly)
            || !tmp.exists()) {
            break; // opened, or failed for a reason other than a leftover file of that name
        }
    }
    if (!tmp.isOpen()) {
        return configError(u"Cannot create a file in \"%1\" for the secret: %2"_s.arg(
                dir, tmp.errorString()));
    }
    // open() applied the umask to 0600, which can only narrow it; say 0600 explicitly anyway.
    tmp.setPermissions(OwnerOnly);

    const auto fail = [&tmp, &path](const QString &what) -> Status {
        const QString reason = tmp.errorString();
        tmp.close();
        tmp.remove();
        return configError(u"Cannot write secret file \"%1\": %2 (%3)"_s.arg(path, what, reason));
    };
    if (tmp.write(secret.data(), secret.size()) != secret.size() || !tmp.flush()) {
        return fail(u"write failed"_s);
    }
#ifdef Q_OS_UNIX
    if (::fsync(tmp.handle()) != 0) {
        return fail(u"fsync failed"_s);
    }
#endif
    tmp.close();

    if (mode == Mode::CreateNew) {
        // QFile::rename refuses an existing destination (renameat2 RENAME_NOREPLACE or
        // link+unlink on Linux), so of two processes racing here exactly one wins.
        if (!tmp.rename(target.absoluteFilePath())) {
            const QString reason = tmp.errorString();
            tmp.remove();
            return configError(
                    u"Cannot create secret file \"%1\": %2"_s.arg(path, reason));
        }
    } else {
        std::error_code ec;
        std::filesystem::rename(QFile::encodeName(tmp.fileName()).toStdString(),
                                QFile::encodeName(target.absoluteFilePath()).toStdString(), ec);
        if (ec) {
            tmp.remove();
            return configError(u"Cannot write secret file \"%1\": %2"_s.arg(
                    path, QString::fromStdString(ec.message())));
        }
    }
    syncDirectory(dir);
    return Done{};
}

Result<QByteArray> SecretFile::read(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        return configError(u"Secret file \"%1\" does not exist"_s.arg(path));
    }
    if (!info.isFile()) {
        return configError(u"Secret file \"%1\" is not a regular file"_s.arg(path));
    }
    const QFileDevice::Permissions permissions = info.permissions();
    if (permissions & GroupOrOther) {
        return configError(
                u"Secret file \"%1\" is accessible to other users (mode %2): run chmod 600 \"%1\""_s
                        .arg(path, modeText(permissions)));
    }
    if (info.size() > MaxSecretFileBytes) {
        return configError(u"Secret file \"%1\" is too large to be a secret (%2 bytes)"_s.arg(
                path, QString::number(info.size())));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return configError(u"Cannot read secret file \"%1\": %2"_s.arg(path, file.errorString()));
    }
    return file.readAll();
}
