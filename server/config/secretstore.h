// SPDX-License-Identifier: MIT
#pragma once
// Where credentials the server holds for a team live (an inbox's Twilio auth token or API key
// secret): never in a database column, only here, under an opaque reference such as
// "inbox:<inboxId>:authToken" that the database row keeps instead.
//
// This backend is a folder, <DATA_DIR>/secrets/ (mode 0700), with one owner-only (0600) file per
// reference, each written atomically through SecretFile. It is per machine: several instances
// sharing one PostgreSQL database each have their own folder, so a credential set through one
// instance is not readable on another unless DATA_DIR/secrets is shared (or the file copied).
// An OS keychain backend (QtKeychain) comes with the desktop app.
//
// Thread-safe: it keeps no state but the folder, and each write is one atomic rename.

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

class SecretStore
{
public:
    // `folder` is created (0700) on the first write; InboxServer passes <dataDir>/secrets.
    explicit SecretStore(QString folder);

    [[nodiscard]] static QString defaultFolder(const QString &dataDir);

    // Stores `secret` under `ref`, replacing any earlier value.
    [[nodiscard]] Status put(const QString &ref, QByteArrayView secret) const;
    // The secret, or nullopt when none is stored under `ref`.
    [[nodiscard]] Result<std::optional<QByteArray>> get(const QString &ref) const;
    // Forgets `ref`; removing one that is not there is not an error.
    [[nodiscard]] Status remove(const QString &ref) const;

    // A reference is 1..200 characters of [A-Za-z0-9._:-], starting with a letter or digit and
    // without "..": it can never name a path outside the folder.
    [[nodiscard]] static bool isValidRef(const QString &ref);

    [[nodiscard]] QString folder() const { return m_folder; }

private:
    [[nodiscard]] Result<QString> pathFor(const QString &ref) const;
    [[nodiscard]] Status ensureFolder() const;

    QString m_folder;
};
