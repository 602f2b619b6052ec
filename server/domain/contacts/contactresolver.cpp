// SPDX-License-Identifier: MIT
#include "contactresolver.h"

#include "core/ids.h"
#include "domain/contacts/contactwrites.h"
#include "domain/inboxes/inboxrules.h"
#include "storage/contactstore.h"

using namespace Qt::StringLiterals;

namespace ContactResolver {

namespace {

constexpr int kMaxNameLength = 200;

} // namespace

QString e164Of(const QString &address)
{
    QString number = address.trimmed();
    const qsizetype colon = number.indexOf(u':');
    if (colon >= 0) {
        number = number.mid(colon + 1); // whatsapp:+1…, messenger:…
    }
    return InboxRules::isE164(number) ? number : QString();
}

Result<ResolvedContact> forAddress(DbConnection &db, const QString &teamId, const QString &address,
                                   const QString &profileName)
{
    const QString phone = e164Of(address);
    if (phone.isEmpty()) {
        return ApiError::badRequest(u"The sender's address is not a phone number."_s);
    }
    if (Status locked = db.lockKey(u"contact-phone:"_s + teamId + u':' + phone); !locked) {
        return locked.error();
    }
    Result<std::optional<Contact>> existing = ContactStore::liveByPhone(db, teamId, phone);
    if (!existing) {
        return existing.error();
    }
    if (existing.value()) {
        return ResolvedContact{*existing.value(), false};
    }
    Contact contact;
    contact.id = newId();
    contact.teamId = teamId;
    contact.name = profileName.trimmed().left(kMaxNameLength);
    contact.phone = phone;
    contact.createdAt = contact.updatedAt = QDateTime::currentDateTimeUtc();
    if (Status created = ContactWrites::create(db, contact); !created) {
        return created.error();
    }
    return ResolvedContact{contact, true};
}

} // namespace ContactResolver
