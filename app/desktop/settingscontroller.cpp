// SPDX-License-Identifier: MIT
#include "settingscontroller.h"

#include "databasetester.h"
#include "desktopsecrets.h"
#include "twiliocredentialtester.h"

#include "apiclient.h"

#include <QJsonObject>
#include <QSettings>

using namespace Qt::StringLiterals;

SettingsController::SettingsController(QString settingsFile, DesktopSecrets *secrets,
                                       QString secretReason, QObject *parent)
    : QObject(parent),
      m_settingsFile(std::move(settingsFile)),
      m_secrets(secrets),
      m_secretReason(std::move(secretReason)),
      m_api(new ApiClient(this)),
      m_twilio(new TwilioCredentialTester(this)),
      m_members(new TeamMembersModel(this)),
      m_inboxes(new InboxCredentialsModel(this))
{
    reload();
}

SettingsController::~SettingsController() = default;

void SettingsController::edit(const std::function<void(DesktopSettings &)> &change)
{
    DesktopSettings next = m_settings;
    change(next);
    if (!(next == m_settings)) {
        m_settings = next;
        Q_EMIT settingsChanged();
    }
}

void SettingsController::setRemoteMode(bool remote)
{
    edit([remote](DesktopSettings &s) {
        s.mode = remote ? DesktopSettings::Mode::Remote : DesktopSettings::Mode::Embedded;
    });
}
void SettingsController::setRemoteUrl(const QString &value)
{
    edit([&](DesktopSettings &s) { s.remoteUrl = value.trimmed(); });
}
void SettingsController::setHost(const QString &value)
{
    edit([&](DesktopSettings &s) { s.host = value.trimmed(); });
}
void SettingsController::setPort(int value)
{
    if (value >= 0 && value <= 65535) {
        edit([&](DesktopSettings &s) { s.port = quint16(value); });
    }
}
void SettingsController::setDatabaseUrl(const QString &value)
{
    edit([&](DesktopSettings &s) { s.databaseUrl = value.trimmed(); });
}
void SettingsController::setPublicUrl(const QString &value)
{
    edit([&](DesktopSettings &s) { s.publicUrl = value.trimmed(); });
}
void SettingsController::setCorsOrigins(const QString &value)
{
    edit([&](DesktopSettings &s) { s.corsOrigins = value.trimmed(); });
}
void SettingsController::setTwilioApiBase(const QString &value)
{
    edit([&](DesktopSettings &s) { s.twilioApiBase = value.trimmed(); });
}
void SettingsController::setGoogleClientId(const QString &value)
{
    edit([&](DesktopSettings &s) { s.googleClientId = value.trimmed(); });
}
void SettingsController::setGoogleCallbackUrl(const QString &value)
{
    edit([&](DesktopSettings &s) { s.googleCallbackUrl = value.trimmed(); });
}
void SettingsController::setGoogleClientSecret(const QString &value)
{
    if (m_googleClientSecret != value) {
        m_googleClientSecret = value;
        Q_EMIT settingsChanged();
    }
}

QString SettingsController::secretBackend() const
{
    return m_secrets ? m_secrets->backendName() : QString();
}

QString SettingsController::secretBackendDescription() const
{
    if (!m_secrets) {
        return tr("Looking for a keychain…");
    }
    if (m_secrets->backendName() == u"keychain"_s) {
        return tr("Secrets are stored in the system keychain (service \"%1\").").arg(m_secrets->location());
    }
    return tr("No keychain is available (%1): secrets are stored in files only you can read, in %2.")
            .arg(m_secretReason, m_secrets->location());
}

void SettingsController::reload()
{
    QSettings file(m_settingsFile, QSettings::IniFormat);
    m_settings = DesktopSettings::load(file);
    m_googleClientSecret.clear();
    Q_EMIT settingsChanged();
    checkStoredSecret();
}

void SettingsController::checkStoredSecret()
{
    if (!m_secrets) {
        return;
    }
    m_secrets->read(QString::fromLatin1(DesktopSettings::GoogleClientSecretKey), this,
                    [this](Result<std::optional<QByteArray>> secret) {
                        const bool stored = secret.ok() && secret.value().has_value();
                        if (stored != m_googleClientSecretStored) {
                            m_googleClientSecretStored = stored;
                            Q_EMIT secretsChanged();
                        }
                    });
}

void SettingsController::readGoogleClientSecret(QObject *context, std::function<void(QByteArray)> done)
{
    if (!m_secrets) {
        return done({});
    }
    m_secrets->read(QString::fromLatin1(DesktopSettings::GoogleClientSecretKey), context,
                    [done = std::move(done)](Result<std::optional<QByteArray>> secret) {
                        done(secret.ok() && secret.value() ? *secret.value() : QByteArray());
                    });
}

void SettingsController::save()
{
    {
        QSettings file(m_settingsFile, QSettings::IniFormat);
        m_settings.save(file);
        if (file.status() != QSettings::NoError) {
            setStatus(tr("The settings could not be written to %1.").arg(m_settingsFile));
            return;
        }
    }
    if (m_googleClientSecret.isEmpty() || !m_secrets) {
        setStatus(tr("Saved. Restart the server to apply the changes."));
        Q_EMIT saved();
        return;
    }
    m_secrets->write(QString::fromLatin1(DesktopSettings::GoogleClientSecretKey),
                     m_googleClientSecret.toUtf8(), this, [this](Status written) {
                         if (!written) {
                             setStatus(tr("The settings were saved, but the secret was not: %1")
                                               .arg(written.error().detail));
                             return;
                         }
                         m_googleClientSecret.clear();
                         Q_EMIT settingsChanged();
                         checkStoredSecret();
                         setStatus(tr("Saved. Restart the server to apply the changes."));
                         Q_EMIT saved();
                     });
}

void SettingsController::testDatabase()
{
    if (m_dbTestRunning) {
        return;
    }
    m_dbTestRunning = true;
    m_dbTestMessage = tr("Connecting…");
    Q_EMIT databaseTestChanged();
    DatabaseTester::test(m_settings.databaseUrl, m_settings.dataDir, this, [this](DatabaseTestResult result) {
        m_dbTestRunning = false;
        m_dbTestOk = result.ok;
        m_dbTestMessage = result.message;
        Q_EMIT databaseTestChanged();
    });
}

void SettingsController::setServerUrl(const QString &url)
{
    if (m_serverUrl != url) {
        m_serverUrl = url;
        m_api->setBaseUrl(QUrl(url));
        Q_EMIT serverUrlChanged();
    }
}

void SettingsController::signIn(const QString &email, const QString &password)
{
    if (m_serverUrl.isEmpty()) {
        setTeamMessage(tr("No server is running."));
        return;
    }
    setTeamMessage(tr("Signing in…"));
    m_api->post(u"/api/v1/auth/login"_s, QJsonObject{{u"email"_s, email}, {u"password"_s, password}},
                this, [this](const ApiResult &session) {
                    if (!session.ok()) {
                        setTeamMessage(session.problem.message());
                        return;
                    }
                    const QJsonObject body = session.object();
                    m_api->setTokens(body.value(u"accessToken"_s).toString(),
                                     body.value(u"refreshToken"_s).toString());
                    refreshTeam();
                });
}

void SettingsController::refreshTeam()
{
    m_api->get(u"/api/v1/teams"_s, {}, this, [this](const ApiResult &teams) {
        if (!teams.ok()) {
            setTeamMessage(teams.problem.message());
            return;
        }
        // The first team the user administers; the settings are an admin's.
        const QJsonArray data = teams.object().value(u"data"_s).toArray();
        QJsonObject chosen;
        for (const QJsonValue &team : data) {
            if (team.toObject().value(u"role"_s).toString() == u"admin"_s) {
                chosen = team.toObject();
                break;
            }
        }
        if (chosen.isEmpty()) {
            setTeamMessage(tr("This account is not an admin of any team."));
            return;
        }
        m_teamId = chosen.value(u"id"_s).toString();
        m_teamName = chosen.value(u"name"_s).toString();
        setTeamMessage({});
        const QString team = u"/api/v1/teams/"_s + m_teamId;
        loadMembers();
        QUrlQuery page;
        page.addQueryItem(u"limit"_s, u"100"_s);
        m_api->get(team + u"/inboxes"_s, page, this, [this](const ApiResult &inboxes) {
            if (!inboxes.ok()) {
                return setTeamMessage(inboxes.problem.message());
            }
            m_inboxes->setInboxes(inboxes.object().value(u"data"_s).toArray());
        });
    });
}

void SettingsController::loadMembers()
{
    m_api->get(u"/api/v1/teams/%1/members"_s.arg(m_teamId), {}, this, [this](const ApiResult &members) {
        if (!members.ok()) {
            return setTeamMessage(members.problem.message());
        }
        m_members->setMembers(members.object().value(u"data"_s).toArray());
    });
}

void SettingsController::setMemberRole(const QString &userId, const QString &role)
{
    m_api->patch(u"/api/v1/teams/%1/members/%2"_s.arg(m_teamId, userId), QJsonObject{{u"role"_s, role}},
                 this, [this](const ApiResult &member) {
                     if (!member.ok()) {
                         setTeamMessage(member.problem.message());
                         loadMembers(); // shows the role the server kept
                         return;
                     }
                     m_members->updateMember(member.object());
                     setTeamMessage(tr("Role changed."));
                 });
}

void SettingsController::removeMember(const QString &userId)
{
    m_api->deleteResource(u"/api/v1/teams/%1/members/%2"_s.arg(m_teamId, userId), this,
                          [this, userId](const ApiResult &answer) {
                              if (!answer.ok()) {
                                  return setTeamMessage(answer.problem.message());
                              }
                              m_members->removeMember(userId);
                              setTeamMessage(tr("Member removed."));
                          });
}

void SettingsController::addMember(const QString &email, const QString &role)
{
    const QJsonObject body{{u"email"_s, email.trimmed()}, {u"role"_s, role}};
    m_api->post(u"/api/v1/teams/%1/members"_s.arg(m_teamId), body, this, [this, body](const ApiResult &member) {
        if (member.ok()) {
            m_members->updateMember(member.object());
            return setTeamMessage(tr("Member added."));
        }
        if (member.status != 422) {
            return setTeamMessage(member.problem.message());
        }
        // No account with that address yet: invite it instead.
        m_api->post(u"/api/v1/teams/%1/invitations"_s.arg(m_teamId), body, this, [this](const ApiResult &invited) {
            setTeamMessage(invited.ok() ? tr("Invitation sent.") : invited.problem.message());
        });
    });
}

void SettingsController::testInboxCredentials(int row, const QString &accountSid, const QString &authToken)
{
    const QString inboxId = m_inboxes->inboxId(row);
    m_inboxes->setTestResult(inboxId, false, tr("Testing…"));
    m_twilio->test(m_settings.twilioApiBase, accountSid, authToken, [this, inboxId](bool ok, const QString &message) {
        m_inboxes->setTestResult(inboxId, ok, message);
    });
}

void SettingsController::saveInboxCredentials(int row, const QString &accountSid, const QString &authToken)
{
    const QString inboxId = m_inboxes->inboxId(row);
    QJsonObject change{{u"accountSid"_s, accountSid.trimmed().isEmpty() ? QJsonValue() : QJsonValue(accountSid.trimmed())}};
    if (!authToken.trimmed().isEmpty()) {
        change.insert(u"authToken"_s, authToken.trimmed());
    }
    m_api->patch(u"/api/v1/teams/%1/inboxes/%2"_s.arg(m_teamId, inboxId), change, this,
                 [this, inboxId](const ApiResult &inbox) {
                     if (!inbox.ok()) {
                         m_inboxes->setTestResult(inboxId, false, inbox.problem.message());
                         return;
                     }
                     m_inboxes->updateInbox(inbox.object());
                     m_inboxes->setTestResult(inboxId, true, tr("Credentials saved."));
                 });
}

void SettingsController::setStatus(const QString &message)
{
    if (m_status != message) {
        m_status = message;
        Q_EMIT statusChanged();
    }
}

void SettingsController::setTeamMessage(const QString &message)
{
    m_teamMessage = message;
    Q_EMIT teamChanged();
}
