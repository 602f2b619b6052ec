// SPDX-License-Identifier: MIT
#pragma once
// A response as a value: status, headers and body; the server adds the common headers.

#include "core/apierror.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

struct HttpResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    void setHeader(const QByteArray &name, const QByteArray &value);
    [[nodiscard]] QByteArray header(QByteArrayView name) const;

    [[nodiscard]] static HttpResponse json(const QJsonObject &object, int status = 200);
    [[nodiscard]] static HttpResponse json(const QJsonArray &array, int status = 200);
    [[nodiscard]] static HttpResponse rawJson(QByteArray body, int status = 200);
    [[nodiscard]] static HttpResponse text(const QByteArray &body, int status = 200,
                                           const QByteArray &contentType = "text/plain; charset=utf-8");
    [[nodiscard]] static HttpResponse noContent();
    [[nodiscard]] static HttpResponse redirect(const QByteArray &location, int status = 302);

    // RFC 9457 problem details (the /api/v1 and operational surfaces).
    [[nodiscard]] static HttpResponse problem(const ApiError &error);
};

[[nodiscard]] QByteArray reasonPhrase(int status);
