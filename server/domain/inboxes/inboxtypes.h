// SPDX-License-Identifier: MIT
#pragma once
// The inbox model shared by the storage, domain and API layers: a channel endpoint of a team
// (an SMS or WhatsApp sender, or a voice number) on Twilio.

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

struct Inbox
{
    QString id;
    QString teamId;
    QString name;
    QString channel;  // sms | whatsapp | voice
    QString provider; // twilio
    QString address;  // E.164; "whatsapp:+<E.164>" for whatsapp
    QString messagingServiceSid;
    QString accountSid;
    QString credentialsRef; // the SecretStore reference; empty when no credentials are set
    QStringList agentNumbers; // voice: the numbers to ring (kept in inboxes.settings)
    QString ownerUserId;
    QJsonObject settings;   // the rest of inboxes.settings, kept as read
    QDateTime createdAt;
    QDateTime updatedAt;

    [[nodiscard]] bool credentialsSet() const { return !credentialsRef.isEmpty(); }
};

// POST: what a new inbox is made of (already checked for shape by the API layer).
struct InboxDraft
{
    QString name;
    QString channel;
    QString address;
    QString messagingServiceSid;
    QString accountSid;
    std::optional<QByteArray> authToken;
    QStringList agentNumbers;
    QString ownerUserId;
};

// PATCH: only what is set changes. An empty string clears an optional field.
struct InboxChange
{
    std::optional<QString> name;
    std::optional<QString> address;
    std::optional<QString> messagingServiceSid;
    std::optional<QString> accountSid;
    std::optional<QByteArray> authToken; // a new secret
    bool removeAuthToken = false;        // `authToken: null`
    std::optional<QStringList> agentNumbers;
    std::optional<QString> ownerUserId;
};

// Twilio credentials found on an inbox, for REST calls made on the team's behalf. Holds the
// secret: never logged, never returned by the API.
struct InboxCredentials
{
    QString inboxId;
    QString accountSid;
    QByteArray authToken;
};
