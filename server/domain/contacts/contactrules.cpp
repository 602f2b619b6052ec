// SPDX-License-Identifier: MIT
#include "contactrules.h"

#include "core/email.h"
#include "domain/contacts/phonenormalizer.h"

using namespace Qt::StringLiterals;

namespace ContactRules {

const QStringList &exportColumns()
{
    static const QStringList columns{u"id"_s,    u"name"_s,     u"phone"_s,
                                     u"email"_s, u"optedOut"_s, u"createdAt"_s};
    return columns;
}

bool isReservedAttributeKey(const QString &key)
{
    return exportColumns().contains(key.trimmed(), Qt::CaseInsensitive);
}

void checkAttributes(const QJsonObject &attributes, QList<FieldError> &errors)
{
    if (attributes.size() > kMaxAttributes) {
        errors.append({u"attributes"_s, u"must have at most %1 keys"_s.arg(kMaxAttributes)});
    }
    for (auto it = attributes.constBegin(); it != attributes.constEnd(); ++it) {
        const QString field = u"attributes."_s + it.key().left(kMaxAttributeKey);
        if (it.key().trimmed().isEmpty()) {
            errors.append({u"attributes"_s, u"keys must not be empty"_s});
        } else if (it.key().size() > kMaxAttributeKey) {
            errors.append({field, u"key must be at most %1 characters"_s.arg(kMaxAttributeKey)});
        } else if (isReservedAttributeKey(it.key())) {
            errors.append({field, u"is a reserved name (a column of the CSV export)"_s});
        }
        const QJsonValue value = it.value();
        if (value.isString()) {
            if (value.toString().size() > kMaxAttributeValue) {
                errors.append(
                    {field, u"must be at most %1 characters"_s.arg(kMaxAttributeValue)});
            }
        } else if (!value.isDouble() && !value.isBool()) {
            errors.append({field, u"must be a string, a number or a boolean"_s});
        }
    }
}

QString defaultRegion(const QJsonObject &teamSettings)
{
    const QString region = teamSettings.value(u"defaultRegion"_s).toString().toUpper();
    return PhoneNormalizer::isSupportedRegion(region) ? region : u"US"_s;
}

void checkFields(ContactChange &change, QList<FieldError> &errors)
{
    if (change.name) {
        change.name = change.name->trimmed();
        if (change.name->size() > kMaxName) {
            errors.append({u"name"_s, u"must be at most %1 characters"_s.arg(kMaxName)});
        }
    }
    if (change.email) {
        change.email = change.email->trimmed().toLower();
        if (!change.email->isEmpty() && !isValidEmail(*change.email)) {
            errors.append({u"email"_s, u"is not a valid email address"_s});
        }
    }
    if (change.attributes) {
        checkAttributes(*change.attributes, errors);
    }
}

void normalize(ContactChange &change, const QString &region, QList<FieldError> &errors)
{
    checkFields(change, errors);
    if (change.phone) {
        change.phone = change.phone->trimmed();
        if (!change.phone->isEmpty()) {
            const std::optional<QString> e164 =
                change.phone->size() <= kMaxPhoneInput
                    ? PhoneNormalizer::toE164(*change.phone, region)
                    : std::nullopt;
            if (e164) {
                change.phone = *e164;
            } else {
                errors.append({u"phone"_s, u"is not a valid phone number"_s});
            }
        }
    }
}

void apply(const ContactChange &change, Contact &contact)
{
    if (change.name) {
        contact.name = *change.name;
    }
    if (change.phone) {
        contact.phone = *change.phone;
    }
    if (change.email) {
        contact.email = *change.email;
    }
    if (change.attributes) {
        contact.attributes = *change.attributes;
    }
}

bool isIdentifiable(const Contact &contact)
{
    return !contact.name.isEmpty() || !contact.phone.isEmpty() || !contact.email.isEmpty();
}

} // namespace ContactRules
