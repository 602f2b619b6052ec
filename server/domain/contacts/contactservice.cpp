// SPDX-License-Identifier: MIT
#include "contactservice.h"

#include "core/async.h"
#include "core/ids.h"
#include "domain/contacts/contactcsv.h"
#include "domain/contacts/contactimporter.h"
#include "domain/contacts/contactrules.h"
#include "domain/contacts/contactwrites.h"
#include "domain/teamaccess.h"
#include "storage/contactstore.h"
#include "storage/database.h"
#include "storage/eventstore.h"

using namespace Qt::StringLiterals;

namespace {

ApiError contactNotFound()
{
    return ApiError::notFound(u"No such contact."_s);
}

ApiError duplicatePhone(const Contact &existing)
{
    return ApiError{409, u"duplicate-contact"_s, u"Duplicate contact"_s,
                    u"Contact %1 already has the phone number %2."_s.arg(existing.id, existing.phone),
                    {{u"phone"_s, u"is already used by contact %1"_s.arg(existing.id)}}, 0};
}

ApiError alreadyMerged(const Contact &contact)
{
    return ApiError{409, u"contact-merged"_s, u"Contact merged"_s,
                    u"Contact %1 was merged into contact %2; use that one."_s.arg(
                        contact.id, contact.mergedInto),
                    {}, 0};
}

Result<QString> teamRegion(DbConnection &db, const QString &teamId)
{
    Result<QJsonObject> settings = ContactStore::teamSettings(db, teamId);
    if (!settings) {
        return settings.error();
    }
    return ContactRules::defaultRegion(settings.value());
}

// The live contact holding `phone`, other than `self`, as a 409; Done when the number is free.
Status phoneIsFree(DbConnection &db, const QString &teamId, const QString &phone,
                   const QString &self)
{
    if (phone.isEmpty()) {
        return Done{};
    }
    Result<std::optional<Contact>> owner = ContactStore::liveByPhone(db, teamId, phone);
    if (!owner) {
        return owner.error();
    }
    if (owner.value() && owner.value()->id != self) {
        return duplicatePhone(*owner.value());
    }
    return Done{};
}

QList<FieldError> needsIdentity()
{
    const QString message = u"a contact needs a name, a phone or an email"_s;
    return {{u"name"_s, message}, {u"phone"_s, message}, {u"email"_s, message}};
}

} // namespace

ContactService::ContactService(Database *db, QThreadPool *cpu, QObject *parent)
    : QObject(parent), m_db(db), m_cpu(cpu)
{
}

void ContactService::list(const QString &actorId, const QString &teamId,
                          const ContactFilter &filter, const PageRequest &page,
                          Reply<Page<Contact>> done)
{
    PageRequest request = page;
    if (request.after) {
        // The key goes into SQL as a timestamp: one that does not parse is a bad cursor, not a
        // database error.
        const QDateTime after = QDateTime::fromString(request.after->key, Qt::ISODateWithMs);
        if (!after.isValid() || request.after->id.isEmpty()) {
            return done(ApiError::validation(
                {{u"cursor"_s, u"is not a cursor from a previous page"_s}}));
        }
        request.after->key = isoUtc(after);
    }
    m_db->run<Page<Contact>>(
        DbAccess::Read,
        [=](DbConnection &db) -> Result<Page<Contact>> {
            if (Result<Role> role = requireRole(db, teamId, actorId, Role::Viewer); !role) {
                return role.error();
            }
            return ContactStore::list(db, teamId, filter, request);
        },
        this, std::move(done));
}

void ContactService::get(const QString &actorId, const QString &teamId, const QString &contactId,
                         Reply<Contact> done)
{
    m_db->run<Contact>(
        DbAccess::Read,
        [=](DbConnection &db) -> Result<Contact> {
            if (Result<Role> role = requireRole(db, teamId, actorId, Role::Viewer); !role) {
                return role.error();
            }
            Result<std::optional<Contact>> contact = ContactStore::byId(db, teamId, contactId);
            if (!contact) {
                return contact.error();
            }
            if (!contact.value()) {
                return contactNotFound();
            }
            return *contact.value();
        },
        this, std::move(done));
}

void ContactService::exportCsv(const QString &actorId, const QString &teamId,
                               Reply<QByteArray> done)
{
    m_db->run<QByteArray>(
        DbAccess::Read,
        [=](DbConnection &db) -> Result<QByteArray> {
            if (Result<Role> role = requireRole(db, teamId, actorId, Role::Viewer); !role) {
                return role.error();
            }
            Result<QList<Contact>> contacts = ContactStore::allLive(db, teamId);
            if (!contacts) {
                return contacts.error();
            }
            return ContactCsv::exportContacts(contacts.value());
        },
        this, std::move(done));
}

void ContactService::create(const QString &actorId, const QString &teamId, ContactChange change,
                            Reply<Contact> done)
{
    m_db->run<Contact>(
        DbAccess::Write,
        [=](DbConnection &db) mutable -> Result<Contact> {
            return runInTransaction<Contact>(db, [&]() -> Result<Contact> {
                if (Result<Role> role = requireRole(db, teamId, actorId, Role::Editor); !role) {
                    return role.error();
                }
                Result<QString> region = teamRegion(db, teamId);
                if (!region) {
                    return region.error();
                }
                QList<FieldError> errors;
                ContactRules::normalize(change, region.value(), errors);
                if (!errors.isEmpty()) {
                    return ApiError::validation(errors);
                }
                Contact contact;
                contact.id = newId();
                contact.teamId = teamId;
                ContactRules::apply(change, contact);
                if (!ContactRules::isIdentifiable(contact)) {
                    return ApiError::validation(needsIdentity());
                }
                if (Status free = phoneIsFree(db, teamId, contact.phone, {}); !free) {
                    return free.error();
                }
                contact.createdAt = contact.updatedAt = QDateTime::currentDateTimeUtc();
                if (Status created = ContactWrites::create(db, contact); !created) {
                    return created.error();
                }
                return contact;
            });
        },
        this, std::move(done));
}

void ContactService::update(const QString &actorId, const QString &teamId,
                            const QString &contactId, ContactChange change, Reply<Contact> done)
{
    m_db->run<Contact>(
        DbAccess::Write,
        [=](DbConnection &db) mutable -> Result<Contact> {
            return runInTransaction<Contact>(db, [&]() -> Result<Contact> {
                if (Result<Role> role = requireRole(db, teamId, actorId, Role::Editor); !role) {
                    return role.error();
                }
                Result<std::optional<Contact>> found = ContactStore::byId(db, teamId, contactId);
                if (!found) {
                    return found.error();
                }
                if (!found.value()) {
                    return contactNotFound();
                }
                Contact contact = *found.value();
                if (!contact.mergedInto.isEmpty()) {
                    return alreadyMerged(contact);
                }
                Result<QString> region = teamRegion(db, teamId);
                if (!region) {
                    return region.error();
                }
                QList<FieldError> errors;
                ContactRules::normalize(change, region.value(), errors);
                if (!errors.isEmpty()) {
                    return ApiError::validation(errors);
                }
                ContactRules::apply(change, contact);
                if (!ContactRules::isIdentifiable(contact)) {
                    return ApiError::validation(needsIdentity());
                }
                if (Status free = phoneIsFree(db, teamId, contact.phone, contact.id); !free) {
                    return free.error();
                }
                contact.updatedAt = QDateTime::currentDateTimeUtc();
                if (Status saved = ContactWrites::save(db, contact, u"updated"_s); !saved) {
                    return saved.error();
                }
                return contact;
            });
        },
        this, std::move(done));
}

void ContactService::merge(const QString &actorId, const QString &teamId,
                           const QString &survivorId, const QString &sourceId,
                           Reply<Contact> done)
{
    m_db->run<Contact>(
        DbAccess::Write,
        [=](DbConnection &db) -> Result<Contact> {
            return runInTransaction<Contact>(db, [&]() -> Result<Contact> {
                if (Result<Role> role = requireRole(db, teamId, actorId, Role::Editor); !role) {
                    return role.error();
                }
                Result<std::optional<Contact>> survivorRow = ContactStore::byId(db, teamId, survivorId);
                if (!survivorRow) {
                    return survivorRow.error();
                }
                if (!survivorRow.value()) {
                    return contactNotFound();
                }
                if (survivorId == sourceId) {
                    return ApiError::validation(
                        {{u"sourceContactId"_s, u"cannot merge a contact into itself"_s}});
                }
                Result<std::optional<Contact>> sourceRow = ContactStore::byId(db, teamId, sourceId);
                if (!sourceRow) {
                    return sourceRow.error();
                }
                if (!sourceRow.value()) {
                    return ApiError::validation(
                        {{u"sourceContactId"_s, u"is not a contact of this team"_s}});
                }
                Contact survivor = *survivorRow.value();
                const Contact &source = *sourceRow.value();
                if (!survivor.mergedInto.isEmpty()) {
                    return alreadyMerged(survivor);
                }
                if (!source.mergedInto.isEmpty()) {
                    return alreadyMerged(source);
                }

                // The survivor keeps what it has and takes what it lacks; on attributes it wins.
                QJsonObject attributes = source.attributes;
                for (auto it = survivor.attributes.constBegin(); it != survivor.attributes.constEnd(); ++it) {
                    attributes.insert(it.key(), it.value());
                }
                if (attributes.size() > ContactRules::kMaxAttributes) {
                    return ApiError::validation(
                        {{u"attributes"_s, u"the merged contact would have %1 attributes; at most %2"_s
                                               .arg(attributes.size())
                                               .arg(ContactRules::kMaxAttributes)}});
                }
                survivor.attributes = attributes;
                if (survivor.name.isEmpty()) {
                    survivor.name = source.name;
                }
                if (survivor.phone.isEmpty()) {
                    survivor.phone = source.phone;
                }
                if (survivor.email.isEmpty()) {
                    survivor.email = source.email;
                }
                // An opt-out (STOP) is never lost in a merge: sending to someone who asked not
                // to be contacted is the costlier mistake.
                if (!survivor.optedOutAt.isValid() && source.optedOutAt.isValid()) {
                    survivor.optedOutAt = source.optedOutAt;
                    survivor.optedOutChannel = source.optedOutChannel;
                }
                survivor.updatedAt = QDateTime::currentDateTimeUtc();

                // The source is marked merged first: it then no longer holds its phone number
                // in the unique index of live contacts, so the survivor can take it.
                if (Status moved = ContactStore::mergeInto(db, teamId, source.id, survivor.id); !moved) {
                    return moved.error();
                }
                if (Status saved = ContactWrites::save(db, survivor, u"merged"_s); !saved) {
                    return saved.error();
                }
                if (Result<qint64> event = EventStore::append(
                        db, teamId, u"contact.merged"_s,
                        {{u"survivorId"_s, survivor.id}, {u"mergedId"_s, source.id}});
                    !event) {
                    return event.error();
                }
                return survivor;
            });
        },
        this, std::move(done));
}

void ContactService::importCsv(const QString &actorId, const QString &teamId,
                               const QByteArray &csv, Reply<ImportReport> done)
{
    // Three steps, so the database threads do only database work: the role and the region
    // (read), parsing and phone normalisation (CPU pool), then one write transaction.
    m_db->run<QString>(
        DbAccess::Read,
        [=](DbConnection &db) -> Result<QString> {
            if (Result<Role> role = requireRole(db, teamId, actorId, Role::Editor); !role) {
                return role.error();
            }
            return teamRegion(db, teamId);
        },
        this,
        [this, actorId, teamId, csv, done](Result<QString> region) {
            if (!region) {
                return done(region.error());
            }
            runOnPool<Result<QList<ImportRow>>>(
                m_cpu, this,
                [csv, region = region.value()]() -> Result<QList<ImportRow>> {
                    Result<QList<ImportRow>> rows = ContactCsv::importRows(csv);
                    if (rows) {
                        for (ImportRow &row : rows.value()) {
                            ContactRules::normalize(row.change, region, row.errors);
                        }
                    }
                    return rows;
                },
                [this, actorId, teamId, done](Result<QList<ImportRow>> rows) {
                    if (!rows) {
                        return done(rows.error());
                    }
                    m_db->run<ImportReport>(
                        DbAccess::Write,
                        [actorId, teamId, rows = std::move(rows.value())](DbConnection &db) {
                            return runInTransaction<ImportReport>(db, [&]() -> Result<ImportReport> {
                                // Roles may change between the steps: checked again here.
                                if (Result<Role> role = requireRole(db, teamId, actorId, Role::Editor); !role) {
                                    return role.error();
                                }
                                return ContactImporter(db, teamId).run(rows);
                            });
                        },
                        this, done);
                });
        });
}

void ContactService::remove(const QString &actorId, const QString &teamId,
                            const QString &contactId, Reply<Done> done)
{
    m_db->run<Done>(
        DbAccess::Write,
        [=](DbConnection &db) -> Result<Done> {
            return runInTransaction<Done>(db, [&]() -> Result<Done> {
                if (Result<Role> role = requireRole(db, teamId, actorId, Role::Admin); !role) {
                    return role.error();
                }
                Result<qint64> removed = ContactStore::remove(db, teamId, contactId);
                if (!removed) {
                    return removed.error();
                }
                if (removed.value() == 0) {
                    return contactNotFound();
                }
                if (Result<qint64> event = EventStore::append(db, teamId, u"contact.deleted"_s,
                                                              {{u"contactId"_s, contactId}});
                    !event) {
                    return event.error();
                }
                return Done{};
            });
        },
        this, std::move(done));
}
