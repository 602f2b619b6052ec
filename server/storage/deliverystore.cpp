// SPDX-License-Identifier: MIT
#include "deliverystore.h"

#include "storage/messagestore.h"

using namespace Qt::StringLiterals;

namespace DeliveryStore {

Result<std::optional<DeliveryTarget>> target(DbConnection &db, const QString &teamId,
                                             const QString &id)
{
    // Aliased so they cannot clash with the message's own columns of the same name.
    static const QString sql =
        u"SELECT "_s + MessageStore::columns(u"m"_s)
        + u", c.id AS contact_found, c.phone AS contact_phone, c.opted_out_at AS contact_opted_out_at, "
          "i.id AS sender_id, i.channel AS sender_channel, i.address AS sender_address, "
          "i.messaging_service_sid AS sender_messaging_service_sid, "
          "i.account_sid AS sender_account_sid, i.credentials_ref AS sender_credentials_ref "
          "FROM messages m "
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
    if (!r.isNull(u"sender_id"_s)) {
        Inbox inbox;
        inbox.id = r.text(u"sender_id"_s);
        inbox.teamId = found.message.teamId;
        inbox.channel = r.text(u"sender_channel"_s);
        inbox.address = r.text(u"sender_address"_s);
        inbox.messagingServiceSid = r.text(u"sender_messaging_service_sid"_s);
        inbox.accountSid = r.text(u"sender_account_sid"_s);
        inbox.credentialsRef = r.text(u"sender_credentials_ref"_s);
        found.inbox = std::move(inbox);
    }
    return std::optional<DeliveryTarget>(std::move(found));
}

} // namespace DeliveryStore
