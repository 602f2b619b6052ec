// SPDX-License-Identifier: MIT
#pragma once
// What a valid contact is, shared by the JSON routes and the CSV import: field limits, the
// attribute rules, phone numbers to E.164 in the team's region, emails in lower case.

#include "core/apierror.h"
#include "domain/contacts/contacttypes.h"

#include <QJsonObject>
#include <QStringList>

namespace ContactRules {

inline constexpr int kMaxName = 200;
inline constexpr int kMaxEmail = 254;
inline constexpr int kMaxPhoneInput = 64;
inline constexpr int kMaxAttributes = 50;
inline constexpr int kMaxAttributeKey = 64;
inline constexpr int kMaxAttributeValue = 1000;

// The CSV export's own columns: not allowed as attribute keys (any case), so an exported file
// imports back without a column meaning two things.
[[nodiscard]] const QStringList &exportColumns();
[[nodiscard]] bool isReservedAttributeKey(const QString &key);

// Appends an error per problem: "attributes" for the object as a whole, "attributes.<key>" for
// a key or a value (values: string, number or boolean).
void checkAttributes(const QJsonObject &attributes, QList<FieldError> &errors);

// The team's default region for numbers without a country code: `defaultRegion` of the team
// settings document when libphonenumber knows it, else "US".
[[nodiscard]] QString defaultRegion(const QJsonObject &teamSettings);

// Trims and checks the set fields of `change` in place that need no database: name length,
// email shape (stored lower case), attributes. Appends an error per bad field.
void checkFields(ContactChange &change, QList<FieldError> &errors);
// checkFields, then the phone normalised to E.164 read in `region`.
void normalize(ContactChange &change, const QString &region, QList<FieldError> &errors);

// Applies `change` to `contact` (absent fields stay, empty strings clear).
void apply(const ContactChange &change, Contact &contact);

// A contact needs at least one of name, phone or email.
[[nodiscard]] bool isIdentifiable(const Contact &contact);

} // namespace ContactRules
