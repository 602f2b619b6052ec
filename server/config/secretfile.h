// SPDX-License-Identifier: MIT
#pragma once
// A secret kept in a file only its owner can read (ARCHITECTURE.md "Configuration and secrets"):
// the generated JWT secret lives in <dataDir>/jwt-secret. The content is never logged.

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

class SecretFile
{
public:
    // Writes `secret` to `path`, replacing any existing file. The bytes go to a temporary file in
    // the same folder that is created with mode 0600 (so no other user can open it, not even
    // while it is still empty), are fsync'ed, then renamed over `path` in one step: a crash
    // leaves either the old file or the new one, never a half-written secret.
    [[nodiscard]] static Status write(const QString &path, QByteArrayView secret);

    // As write(), but fails if `path` already exists (the check and the rename are one atomic
    // step). Used when generating a secret on first start, so two processes starting together
    // (server and worker) end up with the same secret: the loser reads the winner's file.
    [[nodiscard]] static Status create(const QString &path, QByteArrayView secret);

    // Reads the secret as stored (no trimming). Refuses a file that group or other users can
    // read or write, telling the user to chmod 600 it, and anything that is not a regular file.
    [[nodiscard]] static Result<QByteArray> read(const QString &path);

private:
    enum class Mode { Replace, CreateNew };
    [[nodiscard]] static Status store(const QString &path, QByteArrayView secret, Mode mode);
};
