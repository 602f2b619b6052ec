// SPDX-License-Identifier: MIT
#include "secretstore.h"

#include "config/config.h"
#include "config/secretfile.h"
#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype MaxRefLength = 200;

// The reason goes to the log; the client of the API only learns that the store failed (a path
// on the server is none of its business).
ApiError storeFailure(const ApiError &cause)
{
    qCWarning(lcConfig) << "secret store:" << cause.detail;
    return ApiError::internal(u"The secret store could not be used; see the server log."_s);
}

} // namespace

SecretStore::SecretStore(QString folder) : m_folder(QDir::cleanPath(std::move(folder)))
{
}

QString SecretStore::defaultFolder(const QString &dataDir)
{
    return QDir(dataDir).filePath(u"secrets"_s);
}

bool SecretStore::isValidRef(const QString &ref)
{
    if (ref.isEmpty() || ref.size() > MaxRefLength || ref.contains(u".."_s)) {
        return false;
    }
    for (qsizetype i = 0; i < ref.size(); ++i) {
        const char16_t c = ref.at(i).unicode();
        const bool alnum = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')
                || (c >= u'0' && c <= u'9');
        if (!alnum && (i == 0 || (c != u'.' && c != u'_' && c != u':' && c != u'-'))) {
            return false;
        }
    }
    return true;
}

Result<QString> SecretStore::pathFor(const QString &ref) const
{
    if (!isValidRef(ref)) {
        return ApiError::internal(u"Invalid secret reference."_s);
    }
    // ':' is not portable in file names; '%' never occurs in a reference, so the mapping is
    // one-to-one. The suffix keeps SecretFile's "<name>.tmp-..." files apart from any reference.
    QString name = ref;
    name.replace(u':', u"%3A"_s);
    return QDir(m_folder).filePath(name + u".secret"_s);
}

Status SecretStore::ensureFolder() const
{
    constexpr QFileDevice::Permissions OwnerOnly =
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
    const QFileInfo info(m_folder);
    if (!info.exists()) {
        // mkdir applies the umask; the mode is set explicitly right after, before any file
        // lands in it.
        if (!QDir().mkpath(m_folder)) {
            return storeFailure(configError(u"Cannot create folder \"%1\""_s.arg(m_folder)));
        }
    } else if (!info.isDir()) {
        return storeFailure(configError(u"\"%1\" is not a folder"_s.arg(m_folder)));
    }
    // The *User flags say what this process may do, not the mode: they are left out.
    const QFileDevice::Permissions mode = QFile::permissions(m_folder)
            & ~(QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser);
    if (mode != OwnerOnly && !QFile::setPermissions(m_folder, OwnerOnly)) {
        return storeFailure(configError(u"Cannot make \"%1\" owner-only (0700)"_s.arg(m_folder)));
    }
    return Done{};
}

Status SecretStore::put(const QString &ref, QByteArrayView secret) const
{
    Result<QString> path = pathFor(ref);
    if (!path) {
        return path.error();
    }
    if (Status folder = ensureFolder(); !folder) {
        return folder;
    }
    if (Status written = SecretFile::write(path.value(), secret); !written) {
        return storeFailure(written.error());
    }
    return Done{};
}

Result<std::optional<QByteArray>> SecretStore::get(const QString &ref) const
{
    Result<QString> path = pathFor(ref);
    if (!path) {
        return path.error();
    }
    if (!QFileInfo::exists(path.value())) {
        return std::optional<QByteArray>();
    }
    Result<QByteArray> secret = SecretFile::read(path.value());
    if (!secret) {
        return storeFailure(secret.error());
    }
    return std::optional<QByteArray>(std::move(secret.value()));
}

Status SecretStore::remove(const QString &ref) const
{
    Result<QString> path = pathFor(ref);
    if (!path) {
        return path.error();
    }
    QFile file(path.value());
    if (file.exists() && !file.remove()) {
        return storeFailure(configError(
                u"Cannot remove secret file \"%1\": %2"_s.arg(path.value(), file.errorString())));
    }
    return Done{};
}
