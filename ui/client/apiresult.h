// SPDX-License-Identifier: MIT
#pragma once

// The outcome of one API call: the HTTP status and JSON body, or the API's problem details
// (RFC 9457, docs/api.md "Conventions") — also built for network failures, so callers handle
// one error shape.

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

struct ApiProblem
{
    int status = 0; // HTTP status, 0 when no answer came (network failure)
    QString type; // e.g. "urn:inbox-central:problem:validation-failed"
    QString title;
    QString detail;
    QJsonArray fieldErrors; // [{field, message}]

    // The last segment of `type` ("validation-failed"), or "network-error".
    [[nodiscard]] QString code() const;
    // A line for the user: the detail, else the title, with the first field error.
    [[nodiscard]] QString message() const;
};

struct ApiResult
{
    int status = 0;
    QJsonValue body; // the parsed JSON answer (Undefined for 204 or non-JSON)
    ApiProblem problem; // set when !ok()

    [[nodiscard]] bool ok() const { return status >= 200 && status < 300; }
    [[nodiscard]] QJsonObject object() const { return body.toObject(); }

    // Builds the result of an answer: status, raw body and Content-Type.
    [[nodiscard]] static ApiResult fromReply(int status, const QByteArray &data,
                                             const QString &networkError);
};
