// SPDX-License-Identifier: MIT
#pragma once
// Reads fields from a JSON body and collects every problem at once, so a client sees all of its
// field errors in one 422 answer.

#include "core/apierror.h"
#include "core/email.h"

#include <QJsonObject>
#include <QString>

#include <optional>

class JsonInput
{
public:
    explicit JsonInput(QJsonObject object) : m_object(std::move(object)) { }

    // A required non-empty string (trimmed unless `keepSpaces`), at most `maxLength` characters.
    QString requiredString(const QString &field, int maxLength, bool keepSpaces = false);
    // Absent → nullopt; present → a string of at most `maxLength` (null counts as "").
    std::optional<QString> optionalString(const QString &field, int maxLength);
    QString requiredEmail(const QString &field);
    // A password of 8 to 72 bytes (bcrypt reads 72).
    QString requiredPassword(const QString &field);
    std::optional<QString> optionalUrl(const QString &field);

    void addError(const QString &field, const QString &message);
    [[nodiscard]] bool ok() const { return m_errors.isEmpty(); }
    [[nodiscard]] ApiError error() const { return ApiError::validation(m_errors); }
    [[nodiscard]] bool has(const QString &field) const { return m_object.contains(field); }

private:
    QJsonObject m_object;
    QList<FieldError> m_errors;
};

[[nodiscard]] ApiError invalidJsonBody();
