// SPDX-License-Identifier: MIT
#include "apierror.h"

using namespace Qt::StringLiterals;

ApiError ApiError::badRequest(const QString &detail)
{
    return {400, u"bad-request"_s, u"Bad request"_s, detail, {}, 0};
}

ApiError ApiError::unauthorized(const QString &detail)
{
    return {401, u"unauthorized"_s, u"Authentication required"_s,
            detail.isEmpty() ? u"A valid access token is required."_s : detail, {}, 0};
}

ApiError ApiError::forbidden(const QString &detail)
{
    return {403, u"forbidden"_s, u"Not allowed"_s,
            detail.isEmpty() ? u"Your role does not allow this."_s : detail, {}, 0};
}

ApiError ApiError::notFound(const QString &detail)
{
    return {404, u"not-found"_s, u"Not found"_s,
            detail.isEmpty() ? u"No such resource."_s : detail, {}, 0};
}

ApiError ApiError::conflict(const QString &detail)
{
    return {409, u"conflict"_s, u"Conflict"_s, detail, {}, 0};
}

ApiError ApiError::validation(QList<FieldError> errors, const QString &detail)
{
    return {422, u"validation-failed"_s, u"Validation failed"_s,
            detail.isEmpty() ? u"Some fields are invalid."_s : detail, std::move(errors), 0};
}

ApiError ApiError::tooManyRequests(int retryAfterSeconds)
{
    return {429, u"rate-limited"_s, u"Too many requests"_s,
            u"Too many attempts; try again later."_s, {}, retryAfterSeconds};
}

ApiError ApiError::internal(const QString &detail)
{
    return {500, u"internal"_s, u"Internal error"_s,
            detail.isEmpty() ? u"Something went wrong on our side."_s : detail, {}, 0};
}

ApiError ApiError::unavailable(const QString &detail)
{
    return {503, u"unavailable"_s, u"Service unavailable"_s, detail, {}, 0};
}
