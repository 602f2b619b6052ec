// SPDX-License-Identifier: MIT
#include "httprequest.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

QByteArray HttpRequest::header(QByteArrayView lowerCaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name.size() == lowerCaseName.size()
            && QByteArrayView(name).compare(lowerCaseName, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

QString HttpRequest::queryValue(const QString &name) const
{
    return query.queryItemValue(name, QUrl::FullyDecoded);
}

QString HttpRequest::clientIp() const
{
    QHostAddress address = remoteAddress;
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4) {
        address = QHostAddress(v4); // "::ffff:127.0.0.1" → "127.0.0.1"
    }
    return address.toString();
}

QString HttpRequest::userAgent() const
{
    return QString::fromUtf8(header("user-agent")).left(512);
}

QByteArray HttpRequest::bearerToken() const
{
    const QByteArray value = header("authorization").trimmed();
    if (value.size() > 7 && value.first(7).compare("bearer ", Qt::CaseInsensitive) == 0) {
        return value.mid(7).trimmed();
    }
    return {};
}

std::optional<QJsonObject> HttpRequest::jsonObject() const
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return std::nullopt;
    }
    return document.object();
}
