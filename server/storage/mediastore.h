// SPDX-License-Identifier: MIT
#pragma once
// Downloaded message media on disk: <DATA_DIR>/media/<teamId>/<messageId>/<index>, each file
// written atomically (QSaveFile: a crash leaves the old file or none, never half of one) and
// readable by the owner only (0600, folders 0700). The content type lives with the message's
// media item in the database, which is also what says whether a file is meant to be there.
//
// Thread-safe: it keeps no state but the folder, and each write is one atomic rename.

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

class MediaStore
{
public:
    // `folder` is created (0700) on the first write; InboxServer passes <dataDir>/media.
    explicit MediaStore(QString folder);

    [[nodiscard]] static QString defaultFolder(const QString &dataDir);

    [[nodiscard]] Status put(const QString &teamId, const QString &messageId, int index,
                             QByteArrayView bytes) const;
    // The file's bytes; nullopt when it is not there.
    [[nodiscard]] Result<std::optional<QByteArray>> get(const QString &teamId,
                                                        const QString &messageId,
                                                        int index) const;
    // Forgets a message's files (all of them); a message without files is not an error.
    [[nodiscard]] Status removeMessage(const QString &teamId, const QString &messageId) const;

    [[nodiscard]] QString folder() const { return m_folder; }

    // Ids become folder names: 1..64 characters of [A-Za-z0-9_-], so never "..", "/" or empty.
    [[nodiscard]] static bool isSafeId(const QString &id);

private:
    [[nodiscard]] Result<QString> messageFolder(const QString &teamId,
                                                const QString &messageId) const;

    QString m_folder;
};
