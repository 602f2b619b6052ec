// SPDX-License-Identifier: MIT
#pragma once
// What the settings window shows and edits (the QML only displays it): the embedded server's
// settings (saved to the desktop's QSettings file), the Google client secret (saved to
// DesktopSecrets, which the window names: keychain or file), and, through the v1 API as a
// signed-in admin, the team's members and roles and each inbox's Twilio credentials.

#include "desktopsettings.h"
#include "inboxcredentialsmodel.h"
#include "teammembersmodel.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QtQml/qqmlregistration.h>

class ApiClient;
class DesktopSecrets;
class TwilioCredentialTester;

class SettingsController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Created by the desktop app")

    // The saved settings, edited in place; save() writes them.
    Q_PROPERTY(bool remoteMode READ remoteMode WRITE setRemoteMode NOTIFY settingsChanged)
    Q_PROPERTY(QString remoteUrl READ remoteUrl WRITE setRemoteUrl NOTIFY settingsChanged)
    Q_PROPERTY(QString host READ host WRITE setHost NOTIFY settingsChanged)
    Q_PROPERTY(int port READ port WRITE setPort NOTIFY settingsChanged)
    Q_PROPERTY(QString databaseUrl READ databaseUrl WRITE setDatabaseUrl NOTIFY settingsChanged)
    Q_PROPERTY(QString publicUrl READ publicUrl WRITE setPublicUrl NOTIFY settingsChanged)
    Q_PROPERTY(QString corsOrigins READ corsOrigins WRITE setCorsOrigins NOTIFY settingsChanged)
    Q_PROPERTY(QString twilioApiBase READ twilioApiBase WRITE setTwilioApiBase NOTIFY settingsChanged)
    Q_PROPERTY(QString googleClientId READ googleClientId WRITE setGoogleClientId NOTIFY settingsChanged)
    Q_PROPERTY(QString googleCallbackUrl READ googleCallbackUrl WRITE setGoogleCallbackUrl NOTIFY settingsChanged)
    // A new secret typed by the user; empty keeps the stored one.
    Q_PROPERTY(QString googleClientSecret READ googleClientSecret WRITE setGoogleClientSecret NOTIFY settingsChanged)
    Q_PROPERTY(bool googleClientSecretStored READ googleClientSecretStored NOTIFY secretsChanged)

    // Where secrets go: "keychain" or "file", with a sentence saying why and where.
    Q_PROPERTY(QString secretBackend READ secretBackend NOTIFY secretsChanged)
    Q_PROPERTY(QString secretBackendDescription READ secretBackendDescription NOTIFY secretsChanged)
    Q_PROPERTY(QString settingsFile READ settingsFile CONSTANT)
    Q_PROPERTY(QString statusMessage READ statusMessage NOTIFY statusChanged)

    Q_PROPERTY(bool databaseTestRunning READ databaseTestRunning NOTIFY databaseTestChanged)
    Q_PROPERTY(bool databaseTestOk READ databaseTestOk NOTIFY databaseTestChanged)
    Q_PROPERTY(QString databaseTestMessage READ databaseTestMessage NOTIFY databaseTestChanged)

    // The team, through the API of the server in use.
    Q_PROPERTY(QString serverUrl READ serverUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(bool signedIn READ signedIn NOTIFY teamChanged)
    Q_PROPERTY(QString teamName READ teamName NOTIFY teamChanged)
    Q_PROPERTY(QString teamMessage READ teamMessage NOTIFY teamChanged)
    Q_PROPERTY(TeamMembersModel *members READ members CONSTANT)
    Q_PROPERTY(InboxCredentialsModel *inboxes READ inboxes CONSTANT)

public:
    SettingsController(QString settingsFile, DesktopSecrets *secrets, QString secretReason,
                       QObject *parent = nullptr);
    ~SettingsController() override;

    [[nodiscard]] const DesktopSettings &settings() const { return m_settings; }

    [[nodiscard]] bool remoteMode() const { return m_settings.mode == DesktopSettings::Mode::Remote; }
    void setRemoteMode(bool remote);
    [[nodiscard]] QString remoteUrl() const { return m_settings.remoteUrl; }
    void setRemoteUrl(const QString &value);
    [[nodiscard]] QString host() const { return m_settings.host; }
    void setHost(const QString &value);
    [[nodiscard]] int port() const { return m_settings.port; }
    void setPort(int value);
    [[nodiscard]] QString databaseUrl() const { return m_settings.databaseUrl; }
    void setDatabaseUrl(const QString &value);
    [[nodiscard]] QString publicUrl() const { return m_settings.publicUrl; }
    void setPublicUrl(const QString &value);
    [[nodiscard]] QString corsOrigins() const { return m_settings.corsOrigins; }
    void setCorsOrigins(const QString &value);
    [[nodiscard]] QString twilioApiBase() const { return m_settings.twilioApiBase; }
    void setTwilioApiBase(const QString &value);
    [[nodiscard]] QString googleClientId() const { return m_settings.googleClientId; }
    void setGoogleClientId(const QString &value);
    [[nodiscard]] QString googleCallbackUrl() const { return m_settings.googleCallbackUrl; }
    void setGoogleCallbackUrl(const QString &value);
    [[nodiscard]] QString googleClientSecret() const { return m_googleClientSecret; }
    void setGoogleClientSecret(const QString &value);
    [[nodiscard]] bool googleClientSecretStored() const { return m_googleClientSecretStored; }

    [[nodiscard]] QString secretBackend() const;
    [[nodiscard]] QString secretBackendDescription() const;
    [[nodiscard]] QString settingsFile() const { return m_settingsFile; }
    [[nodiscard]] QString statusMessage() const { return m_status; }

    [[nodiscard]] bool databaseTestRunning() const { return m_dbTestRunning; }
    [[nodiscard]] bool databaseTestOk() const { return m_dbTestOk; }
    [[nodiscard]] QString databaseTestMessage() const { return m_dbTestMessage; }

    [[nodiscard]] QString serverUrl() const { return m_serverUrl; }
    // The server the team section talks to (the embedded one's address, or the remote URL).
    void setServerUrl(const QString &url);
    [[nodiscard]] bool signedIn() const { return !m_teamId.isEmpty(); }
    [[nodiscard]] QString teamName() const { return m_teamName; }
    [[nodiscard]] QString teamMessage() const { return m_teamMessage; }
    [[nodiscard]] TeamMembersModel *members() const { return m_members; }
    [[nodiscard]] InboxCredentialsModel *inboxes() const { return m_inboxes; }

    // The stored Google client secret (for the embedded server), read through the backend.
    void readGoogleClientSecret(QObject *context, std::function<void(QByteArray)> done);

    Q_INVOKABLE void reload();
    Q_INVOKABLE void save();
    Q_INVOKABLE void testDatabase();
    Q_INVOKABLE void signIn(const QString &email, const QString &password);
    Q_INVOKABLE void refreshTeam();
    Q_INVOKABLE void setMemberRole(const QString &userId, const QString &role);
    Q_INVOKABLE void removeMember(const QString &userId);
    // Adds an existing account to the team, or invites the address when there is none.
    Q_INVOKABLE void addMember(const QString &email, const QString &role);
    Q_INVOKABLE void testInboxCredentials(int row, const QString &accountSid, const QString &authToken);
    Q_INVOKABLE void saveInboxCredentials(int row, const QString &accountSid, const QString &authToken);

Q_SIGNALS:
    void settingsChanged();
    void secretsChanged();
    void statusChanged();
    void databaseTestChanged();
    void serverUrlChanged();
    void teamChanged();
    // After save() wrote everything (settings file and secret).
    void saved();

private:
    void setStatus(const QString &message);
    void setTeamMessage(const QString &message);
    void edit(const std::function<void(DesktopSettings &)> &change);
    void checkStoredSecret();
    void loadMembers();

    QString m_settingsFile;
    DesktopSettings m_settings;
    QPointer<DesktopSecrets> m_secrets;
    QString m_secretReason;
    QString m_googleClientSecret;
    bool m_googleClientSecretStored = false;
    QString m_status;
    bool m_dbTestRunning = false;
    bool m_dbTestOk = false;
    QString m_dbTestMessage;

    QString m_serverUrl;
    ApiClient *m_api;
    TwilioCredentialTester *m_twilio;
    QString m_teamId;
    QString m_teamName;
    QString m_teamMessage;
    TeamMembersModel *m_members;
    InboxCredentialsModel *m_inboxes;
};
