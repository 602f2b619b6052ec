// SPDX-License-Identifier: MIT
#pragma once
// A contact written together with its `contact.updated` event, in the caller's transaction. A
// phone number taken meanwhile by another live contact (the unique index) answers 409.

#include "core/result.h"
#include "domain/contacts/contacttypes.h"
#include "storage/dbconnection.h"

namespace ContactWrites {

// Inserts `contact`; the event says {contactId, action: "created"}.
[[nodiscard]] Status create(DbConnection &db, const Contact &contact);
// Saves name, phone, email, attributes, opt-out and updated_at; the event carries `action`
// ("updated", "merged").
[[nodiscard]] Status save(DbConnection &db, const Contact &contact, const QString &action);

} // namespace ContactWrites
