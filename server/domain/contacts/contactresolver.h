// SPDX-License-Identifier: MIT
#pragma once
// The contact behind a channel address, found or created, for whatever arrives from outside
// (an inbound message, a call): "+14155550100" or "whatsapp:+14155550100" is matched by its E.164
// number against the team's live contacts; an unknown number becomes a new contact named after
// the sender's profile name when the channel gives one (WhatsApp's ProfileName).

#include "core/result.h"
#include "domain/contacts/contacttypes.h"
#include "storage/dbconnection.h"

struct ResolvedContact
{
    Contact contact;
    bool created = false;
};

namespace ContactResolver {

// The E.164 number inside a Twilio address ("whatsapp:+1…" → "+1…"); empty when there is none.
[[nodiscard]] QString e164Of(const QString &address);

// In the caller's transaction. Serialised per (team, number), so two webhooks from a new number
// at once create one contact. A created contact records `contact.updated` {action: created}.
[[nodiscard]] Result<ResolvedContact> forAddress(DbConnection &db, const QString &teamId,
                                                 const QString &address,
                                                 const QString &profileName = {});

} // namespace ContactResolver
