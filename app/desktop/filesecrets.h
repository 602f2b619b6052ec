// SPDX-License-Identifier: MIT
#pragma once
// The fallback when no keychain runs: one owner-only (0600) file per key in a 0700 folder,
// written atomically (the server's SecretStore, which already does exactly that).

#include "desktopsecrets.h"

#include "config/secretstore.h"

class FileSecrets : public DesktopSecrets
{
    Q_OBJECT
public:
    explicit FileSecrets(const QString &folder, QObject *parent = nullptr);

    // <DATA_DIR or the default data folder>/desktop-secrets
    [[nodiscard]] static QString defaultFolder(const QString &dataDir);

    [[nodiscard]] QString backendName() const override;
    [[nodiscard]] QString location() const override;
    [[nodiscard]] QString fileFor(const QString &key) const;

    void write(const QString &key, const QByteArray &secret, QObject *context,
               std::function<void(Status)> done) override;
    void read(const QString &key, QObject *context,
              std::function<void(Result<std::optional<QByteArray>>)> done) override;
    void remove(const QString &key, QObject *context, std::function<void(Status)> done) override;

private:
    SecretStore m_store;
};
