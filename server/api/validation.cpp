// SPDX-License-Identifier: MIT
#include "validation.h"

#include <QUrl>

using namespace Qt::StringLiterals;

QString JsonInput::requiredString(const QString &field, int maxLength, bool keepSpaces)
{
    const QJsonValue value = m_object.value(field);
    if (value.isUndefined() || value.isNull()) {
        addError(field, u"is required"_s);
        return {};
    }
    if (!value.isString()) {
        addError(field, u"must be a string"_s);
        return {};
    }
    const QString text = keepSpaces ? value.toString() : value.toString().trimmed();
    if (text.isEmpty()) {
        addError(field, u"must not be empty"_s);
    } else if (text.size() > maxLength) {
        addError(field, u"must be at most %1 characters"_s.arg(maxLength));
    }
    return text;
}

std::optional<QString> JsonInput::optionalString(const QString &field, int maxLength)
{
    const QJsonValue value = m_object.value(field);
    if (value.isUndefined()) {
        return std::nullopt;
    }
    if (value.isNull()) {
        return QString();
    }
    if (!value.isString()) {
        addError(field, u"must be a string"_s);
        return std::nullopt;
    }
    const QString text = value.toString().trimmed();
    if (text.size() > maxLength) {
        addError(field, u"must be at most %1 characters"_s.arg(maxLength));
    }
    return text;
}

QString JsonInput::requiredEmail(const QString &field)
{
    const qsizetype before = m_errors.size();
    const QString email = requiredString(field, 254).toLower();
    if (m_errors.size() == before && !isValidEmail(email)) {
        addError(field, u"is not a valid email address"_s);
    }
    return email;
}

QString JsonInput::requiredPassword(const QString &field)
{
    const qsizetype before = m_errors.size();
    const QString password = requiredString(field, 1000, true);
    if (m_errors.size() == before) {
        const qsizetype bytes = password.toUtf8().size();
        if (password.size() < 8) {
            addError(field, u"must be at least 8 characters"_s);
        } else if (bytes > 72) {
            addError(field, u"must be at most 72 bytes"_s);
        }
    }
    return password;
}

std::optional<QString> JsonInput::optionalUrl(const QString &field)
{
    std::optional<QString> text = optionalString(field, 2048);
    if (text && !text->isEmpty()) {
        const QUrl url(*text, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"https"_s && url.scheme() != u"http"_s)
            || url.host().isEmpty()) {
            addError(field, u"must be an http(s) URL"_s);
        }
    }
    return text;
}

void JsonInput::addError(const QString &field, const QString &message)
{
    m_errors.append({field, message});
}

ApiError invalidJsonBody()
{
    return ApiError{400, u"invalid-json"_s, u"Invalid JSON"_s,
                    u"The request body must be a JSON object."_s, {}, 0};
}
