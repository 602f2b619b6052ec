// SPDX-License-Identifier: MIT
#include "deliverystore.h"

#include "storage/inboxstore.h"
#include "storage/messagestore.h"

using namespace Qt::StringLiterals;

namespace DeliveryStore {

namespace {
const QString kInbox = u"inbox_"_s; // the prefix of the inbox's columns in the joined row
}

Result<std::optional<DeliveryTarget>> target(DbConnection &db, const QString &teamId,
                                             const QString &id)
{
    // Aliased so they cannot clash with the message's own columns of the same name.
    static const QString sql =
        u"SELECT "_s + MessageStore::columns(u"m"_s)
        + u", c.id AS contact_found, c.phone AS contact_phone, "
          "c.opted_out_at AS contact_opted_out_at, "_s
        + InboxStore::columns(u"i"_s, kInbox)
        + u" FROM messages m "
          "LEFT JOIN contacts c ON c.id = m.contact_id AND c.team_id = m.team_id "
          "LEFT JOIN inboxes i ON i.team_id = m.team_id AND i.id = COALESCE(m.inbox_id, "
          "(SELECT d.id FROM inboxes d WHERE d.team_id = m.team_id AND d.channel = m.channel "
          "ORDER BY d.created_at, d.id LIMIT 1)) "
          "WHERE m.id = ? AND m.team_id = ?"_s;
    Result<std::optional<SqlRow>> row = db.queryOne(sql, {id, teamId});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<DeliveryTarget>();
    }
    const SqlRow &r = *row.value();
    DeliveryTarget found;
    found.message = MessageStore::messageFrom(r);
    if (!r.isNull(u"contact_found"_s)) {
        ContactSummary contact;
        contact.id = r.text(u"contact_found"_s);
        contact.teamId = found.message.teamId;
        contact.phone = r.text(u"contact_phone"_s);
        contact.optedOutAt = r.time(u"contact_opted_out_at"_s);
        found.contact = std::move(contact);
    }
    if (!r.isNull(kInbox + u"id"_s)) {
        found.inbox = InboxStore::inboxFrom(r, kInbox);
    }
    return std::optional<DeliveryTarget>(std::move(found));
}

} // namespace DeliveryStore
