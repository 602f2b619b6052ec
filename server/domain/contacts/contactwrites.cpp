// SPDX-License-Identifier: MIT
#include "contactwrites.h"

#include "storage/contactstore.h"
#include "storage/eventstore.h"

using namespace Qt::StringLiterals;

namespace ContactWrites {

namespace {

Status withEvent(DbConnection &db, const Contact &contact, Status written, const QString &action)
{
    if (!written) {
        if (isUniqueViolation(written.error())) {
            return ApiError{409, u"duplicate-contact"_s, u"Duplicate contact"_s,
                            u"Another contact already has the phone number %1."_s.arg(contact.phone),
                            {{u"phone"_s, u"is already used by another contact"_s}}, 0};
        }
        return written;
    }
    Result<qint64> event = EventStore::append(db, contact.teamId, u"contact.updated"_s,
                                              {{u"contactId"_s, contact.id}, {u"action"_s, action}});
    if (!event) {
        return event.error();
    }
    return Done{};
}

} // namespace

Status create(DbConnection &db, const Contact &contact)
{
    return withEvent(db, contact, ContactStore::insert(db, contact), u"created"_s);
}

Status save(DbConnection &db, const Contact &contact, const QString &action)
{
    return withEvent(db, contact, ContactStore::update(db, contact), action);
}

} // namespace ContactWrites
