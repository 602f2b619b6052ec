// SPDX-License-Identifier: MIT
#pragma once
// An inbound message, recorded: the contact found or created by its number, the conversation
// continued (reopened when resolved or snoozed) or opened, the message stored as `received` with
// every media item (their download queued as a `media.fetch` job), opt-out words applied to the
// contact, and `message.new` announced. One transaction, idempotent by the provider's message id:
// the same MessageSid again stores nothing and says `duplicate`.
//
// Writes go through group commit (Database::runGrouped): many webhooks share one durable commit,
// and none is answered before it.

#include "core/result.h"
#include "domain/messages/messagetypes.h"

#include <QObject>

#include <functional>

class Database;

struct InboundMessage
{
    QString teamId;
    QString inboxId;
    QString channel;      // sms | whatsapp (the inbox's)
    QString providerSid;  // MessageSid
    QString from;         // "+1…" or "whatsapp:+1…"
    QString body;
    QList<MediaItem> media;
    QString profileName;  // WhatsApp's ProfileName
    QString optOutType;   // Twilio's OptOutType, when sent
    QJsonObject metadata; // provider facts worth keeping (segments, geo)
};

struct InboundResult
{
    bool duplicate = false;
    Message message; // not set for a duplicate
};

class InboundMessageService : public QObject
{
    Q_OBJECT
public:
    explicit InboundMessageService(Database *db, QObject *parent = nullptr);

    static constexpr auto MediaJobKind = "media.fetch";

    void record(const InboundMessage &inbound, std::function<void(Result<InboundResult>)> done);

private:
    Database *m_db;
};
