// SPDX-License-Identifier: MIT
#pragma once
// A failure as a value (STYLE.md habit 4): what the HTTP layer turns into an RFC 9457 problem.

#include <QList>
#include <QString>

struct FieldError
{
    QString field;
    QString message;
};

struct ApiError
{
    int status = 500;
    QString type;   // short machine slug, e.g. "validation-failed"; rendered as a URN
    QString title;  // short human summary, stable per type
    QString detail; // what went wrong this time
    QList<FieldError> fieldErrors;
    int retryAfterSeconds = 0; // > 0 adds a Retry-After header (429)

    [[nodiscard]] static ApiError badRequest(const QString &detail);
    [[nodiscard]] static ApiError unauthorized(const QString &detail = {});
    [[nodiscard]] static ApiError forbidden(const QString &detail = {});
    [[nodiscard]] static ApiError notFound(const QString &detail = {});
    [[nodiscard]] static ApiError conflict(const QString &detail);
    [[nodiscard]] static ApiError validation(QList<FieldError> errors,
                                             const QString &detail = {});
    [[nodiscard]] static ApiError tooManyRequests(int retryAfterSeconds);
    [[nodiscard]] static ApiError internal(const QString &detail = {});
    [[nodiscard]] static ApiError unavailable(const QString &detail);
};
