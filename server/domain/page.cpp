// SPDX-License-Identifier: MIT
#include "page.h"

#include "core/crypto.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

QString encodeCursor(const PageCursor &cursor)
{
    const QByteArray json = QJsonDocument(QJsonObject{{u"k"_s, cursor.key}, {u"i"_s, cursor.id}})
                                .toJson(QJsonDocument::Compact);
    return QString::fromLatin1(Crypto::base64UrlEncode(json));
}

std::optional<PageCursor> decodeCursor(const QString &text)
{
    if (text.size() > 512) {
        return std::nullopt;
    }
    const std::optional<QByteArray> json = Crypto::base64UrlDecode(text.toLatin1());
    if (!json) {
        return std::nullopt;
    }
    const QJsonDocument document = QJsonDocument::fromJson(*json);
    const QJsonObject object = document.object();
    if (!document.isObject() || !object.value(u"k"_s).isString() || !object.value(u"i"_s).isString()) {
        return std::nullopt;
    }
    return PageCursor{object.value(u"k"_s).toString(), object.value(u"i"_s).toString()};
}
