// SPDX-License-Identifier: MIT
#include "apiresult.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

QString ApiProblem::code() const
{
    if (status == 0) {
        return u"network-error"_s;
    }
    const qsizetype colon = type.lastIndexOf(u':');
    return colon < 0 ? type : type.mid(colon + 1);
}

QString ApiProblem::message() const
{
    QString text = detail.isEmpty() ? title : detail;
    if (!fieldErrors.isEmpty()) {
        const QJsonObject first = fieldErrors.first().toObject();
        text += u" ("_s + first.value(u"field"_s).toString() + u": "_s
                + first.value(u"message"_s).toString() + u')';
    }
    return text;
}

ApiResult ApiResult::fromReply(int status, const QByteArray &data, const QString &networkError)
{
    ApiResult result;
    result.status = status;
    if (!data.isEmpty()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
        if (error.error == QJsonParseError::NoError) {
            result.body = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
        }
    }
    if (result.ok()) {
        return result;
    }
    ApiProblem &p = result.problem;
    p.status = status;
    const QJsonObject o = result.body.toObject();
    p.type = o.value(u"type"_s).toString();
    p.title = o.value(u"title"_s).toString();
    p.detail = o.value(u"detail"_s).toString();
    p.fieldErrors = o.value(u"errors"_s).toArray();
    if (status == 0) {
        p.type = u"urn:inbox-central:problem:network-error"_s;
        p.title = networkError;
    } else if (p.title.isEmpty()) {
        // Not a problem document (a proxy's page, the compat API): keep what we know.
        p.title = o.value(u"error"_s).toString(o.value(u"message"_s).toString());
        if (p.title.isEmpty()) {
            p.title = u"HTTP %1"_s.arg(status);
        }
    }
    return result;
}
