// SPDX-License-Identifier: MIT
#pragma once
// Secrets in the OS keychain through QtKeychain (Secret Service on Linux desktops, the macOS
// Keychain, Windows Credential Manager), under the service "inbox-central".

#include "desktopsecrets.h"

class KeychainSecrets : public DesktopSecrets
{
    Q_OBJECT
public:
    explicit KeychainSecrets(QString service = QStringLiteral("inbox-central"),
                             QObject *parent = nullptr);

    [[nodiscard]] QString backendName() const override;
    [[nodiscard]] QString location() const override;

    void write(const QString &key, const QByteArray &secret, QObject *context,
               std::function<void(Status)> done) override;
    void read(const QString &key, QObject *context,
              std::function<void(Result<std::optional<QByteArray>>)> done) override;
    void remove(const QString &key, QObject *context, std::function<void(Status)> done) override;

private:
    QString m_service;
};
