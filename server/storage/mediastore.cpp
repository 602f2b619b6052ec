// SPDX-License-Identifier: MIT
#include "mediastore.h"

#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace {

constexpr QFileDevice::Permissions OwnerOnlyFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions OwnerOnlyFolder =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
constexpr qsizetype MaxIdLength = 64;

// The reason goes to the log; a client only learns that the store failed (a path on the server
// is none of its business).
ApiError storeFailure(const QString &why)
{
    qCWarning(lcApp).noquote() << "media store:" << why;
    return ApiError::internal(u"The media store could not be used; see the server log."_s);
}

// Creates each missing folder of `path` below `root` with mode 0700 (mkdir applies the umask, so
// the mode is set right after, before any file lands in it).
bool ensureFolders(const QString &root, const QStringList &parts)
{
    QString path = root;
    for (qsizetype i = -1; i < parts.size(); ++i) {
        if (i >= 0) {
            path += u'/' + parts.at(i);
        }
        const QFileInfo info(path);
        if (info.isDir()) {
            continue;
        }
        if (info.exists() || !QDir().mkpath(path) || !QFile::setPermissions(path, OwnerOnlyFolder)) {
            return false;
        }
    }
    return true;
}

} // namespace

MediaStore::MediaStore(QString folder) : m_folder(QDir::cleanPath(std::move(folder)))
{
}

QString MediaStore::defaultFolder(const QString &dataDir)
{
    return QDir(dataDir).filePath(u"media"_s);
}

bool MediaStore::isSafeId(const QString &id)
{
    if (id.isEmpty() || id.size() > MaxIdLength) {
        return false;
    }
    for (const QChar ch : id) {
        const char16_t c = ch.unicode();
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')
                        || (c >= u'0' && c <= u'9') || c == u'-' || c == u'_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

Result<QString> MediaStore::messageFolder(const QString &teamId, const QString &messageId) const
{
    if (!isSafeId(teamId) || !isSafeId(messageId)) {
        return ApiError::internal(u"Invalid media reference."_s);
    }
    return QString(m_folder + u'/' + teamId + u'/' + messageId);
}

Status MediaStore::put(const QString &teamId, const QString &messageId, int index,
                       QByteArrayView bytes) const
{
    Result<QString> folder = messageFolder(teamId, messageId);
    if (!folder) {
        return folder.error();
    }
    if (index < 0) {
        return ApiError::internal(u"Invalid media index."_s);
    }
    if (!ensureFolders(m_folder, {teamId, messageId})) {
        return storeFailure(u"cannot create \"%1\" (mode 0700)"_s.arg(folder.value()));
    }
    const QString path = folder.value() + u'/' + QString::number(index);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return storeFailure(u"cannot write \"%1\": %2"_s.arg(path, file.errorString()));
    }
    // Applies to the temporary file, which the rename then makes the real one.
    file.setPermissions(OwnerOnlyFile);
    if (file.write(bytes.data(), bytes.size()) != bytes.size() || !file.commit()) {
        return storeFailure(u"cannot write \"%1\": %2"_s.arg(path, file.errorString()));
    }
    return Done{};
}

Result<std::optional<QByteArray>> MediaStore::get(const QString &teamId,
                                                  const QString &messageId, int index) const
{
    Result<QString> folder = messageFolder(teamId, messageId);
    if (!folder) {
        return folder.error();
    }
    if (index < 0) {
        return std::optional<QByteArray>();
    }
    QFile file(folder.value() + u'/' + QString::number(index));
    if (!file.exists()) {
        return std::optional<QByteArray>();
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return storeFailure(u"cannot read \"%1\": %2"_s.arg(file.fileName(), file.errorString()));
    }
    return std::optional<QByteArray>(file.readAll());
}

Status MediaStore::removeMessage(const QString &teamId, const QString &messageId) const
{
    Result<QString> folder = messageFolder(teamId, messageId);
    if (!folder) {
        return folder.error();
    }
    QDir dir(folder.value());
    if (dir.exists() && !dir.removeRecursively()) {
        return storeFailure(u"cannot remove \"%1\""_s.arg(folder.value()));
    }
    return Done{};
}
