// SPDX-License-Identifier: MIT
#include "contactimporter.h"

#include "core/ids.h"
#include "domain/contacts/contactrules.h"
#include "domain/contacts/contactwrites.h"
#include "storage/contactstore.h"

#include <algorithm>

using namespace Qt::StringLiterals;

ContactImporter::ContactImporter(DbConnection &db, QString teamId)
    : m_db(db), m_teamId(std::move(teamId))
{
}

Result<ImportReport> ContactImporter::run(const QList<ImportRow> &rows)
{
    if (Status loaded = load(rows); !loaded) {
        return loaded.error();
    }
    ImportReport report;
    for (const ImportRow &row : rows) {
        if (!row.errors.isEmpty()) {
            ++report.failed;
            for (const FieldError &error : row.errors) {
                report.errors.append({row.row, error.field, error.message});
            }
            continue;
        }
        if (Status applied = apply(row, report); !applied) {
            return applied.error();
        }
    }
    return report;
}

Status ContactImporter::load(const QList<ImportRow> &rows)
{
    QStringList phones;
    QStringList emails;
    for (const ImportRow &row : rows) {
        if (row.errors.isEmpty() && row.change.phone) {
            phones.append(*row.change.phone);
        }
        if (row.errors.isEmpty() && row.change.email) {
            emails.append(*row.change.email);
        }
    }
    phones.removeDuplicates();
    emails.removeDuplicates();
    Result<QList<Contact>> existing = ContactStore::liveMatching(m_db, m_teamId, phones, emails);
    if (!existing) {
        return existing.error();
    }
    m_contacts = std::move(existing.value());
    for (qsizetype at = 0; at < m_contacts.size(); ++at) {
        index(at);
    }
    return Done{};
}

qsizetype ContactImporter::match(const ContactChange &change) const
{
    if (change.phone) {
        if (const auto it = m_byPhone.constFind(*change.phone); it != m_byPhone.cend()) {
            return it.value();
        }
    }
    if (change.email) {
        if (const auto it = m_byEmail.constFind(*change.email);
            it != m_byEmail.cend() && !it->isEmpty()) {
            return it->first();
        }
    }
    return -1;
}

void ContactImporter::index(qsizetype at)
{
    const Contact &contact = m_contacts.at(at);
    if (!contact.phone.isEmpty()) {
        m_byPhone.insert(contact.phone, at);
    }
    if (!contact.email.isEmpty()) {
        QList<qsizetype> &owners = m_byEmail[contact.email];
        owners.append(at);
        std::sort(owners.begin(), owners.end(), [this](qsizetype a, qsizetype b) {
            const Contact &x = m_contacts.at(a);
            const Contact &y = m_contacts.at(b);
            return std::pair(x.createdAt, x.id) < std::pair(y.createdAt, y.id);
        });
    }
}

void ContactImporter::unindex(qsizetype at)
{
    const Contact &contact = m_contacts.at(at);
    if (m_byPhone.value(contact.phone, -1) == at) {
        m_byPhone.remove(contact.phone);
    }
    if (auto it = m_byEmail.find(contact.email); it != m_byEmail.end()) {
        it->removeAll(at);
    }
}

Status ContactImporter::apply(const ImportRow &row, ImportReport &report)
{
    const ContactChange &change = row.change;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qsizetype at = match(change);

    if (at < 0) {
        Contact contact;
        contact.id = newId();
        contact.teamId = m_teamId;
        ContactRules::apply(change, contact);
        contact.createdAt = contact.updatedAt = now;
        if (Status created = ContactWrites::create(m_db, contact); !created) {
            return created;
        }
        m_contacts.append(contact);
        index(m_contacts.size() - 1);
        ++report.created;
        return Done{};
    }

    // Fill and update: a cell sets its field, an empty cell leaves it; attributes are added to.
    Contact contact = m_contacts.at(at);
    ContactChange merged = change;
    if (change.attributes) {
        QJsonObject attributes = contact.attributes;
        for (auto it = change.attributes->constBegin(); it != change.attributes->constEnd(); ++it) {
            attributes.insert(it.key(), it.value());
        }
        if (attributes.size() > ContactRules::kMaxAttributes) {
            ++report.failed;
            report.errors.append({row.row, u"attributes"_s,
                                  u"contact %1 would have more than %2 attributes"_s.arg(contact.id).arg(
                                      ContactRules::kMaxAttributes)});
            return Done{};
        }
        merged.attributes = attributes;
    }
    ContactRules::apply(merged, contact);
    ++report.updated;
    const Contact &before = m_contacts.at(at);
    if (contact.name == before.name && contact.phone == before.phone
        && contact.email == before.email && contact.attributes == before.attributes) {
        return Done{}; // re-importing the same file writes nothing
    }
    contact.updatedAt = now;
    if (Status saved = ContactWrites::save(m_db, contact, u"updated"_s); !saved) {
        return saved;
    }
    unindex(at);
    m_contacts[at] = contact;
    index(at);
    return Done{};
}
