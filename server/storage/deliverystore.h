// SPDX-License-Identifier: MIT
#pragma once
// SQL for an outbound delivery attempt: everything one attempt reads, in one statement (the
// message, its contact's number and opt-out, and the inbox it goes out from), so a delivery
// costs one round trip here instead of one per table. Runs on a database thread; callers own the
// transaction.

#include "core/result.h"
#include "domain/conversations/conversationtypes.h"
#include "domain/inboxes/inboxtypes.h"
#include "domain/messages/messagetypes.h"
#include "storage/dbconnection.h"

struct DeliveryTarget
{
    Message message;
    // id, phone and optedOutAt only; nullopt when the contact is gone.
    std::optional<ContactSummary> contact;
    // The message's inbox, else the team's first one on the message's channel (where a
    // conversation opened without an inbox is routed: ConversationStore::defaultInbox); nullopt
    // when there is none.
    std::optional<Inbox> inbox;
};

namespace DeliveryStore {

// The message `id` of the team with its contact and inbox; nullopt when there is no such message.
[[nodiscard]] Result<std::optional<DeliveryTarget>> target(DbConnection &db, const QString &teamId,
                                                           const QString &id);

} // namespace DeliveryStore
