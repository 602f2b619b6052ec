// SPDX-License-Identifier: MIT
#pragma once
// Our own copy of a request: owned, immutable once routed, and safe to hand to other threads
// (QHttpServerRequest is tied to its socket and must not outlive the handler call).

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <memory>
#include <optional>

struct HttpRequest
{
    QByteArray method;                          // upper case: "GET", "POST", ...
    QString path;                               // decoded path, without the query
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers; // as received; look them up with header()
    QByteArray body;
    QHostAddress remoteAddress;
    QByteArray requestId;
    QHash<QString, QString> pathParams;         // filled by the router: {teamId} → "..."
    QString routePattern;                       // "/api/v1/teams/{teamId}/members" (for metrics)

    // The first header of that name, compared case-insensitively (pass it in lower case).
    [[nodiscard]] QByteArray header(QByteArrayView lowerCaseName) const;
    [[nodiscard]] QString param(const QString &name) const { return pathParams.value(name); }
    [[nodiscard]] QString queryValue(const QString &name) const;
    [[nodiscard]] QString clientIp() const;
    [[nodiscard]] QString userAgent() const;
    [[nodiscard]] QByteArray bearerToken() const; // empty when there is none

    // The body as a JSON object; nullopt when it is not one (the caller answers 400).
    [[nodiscard]] std::optional<QJsonObject> jsonObject() const;
};

using RequestPtr = std::shared_ptr<const HttpRequest>;
