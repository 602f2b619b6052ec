// SPDX-License-Identifier: MIT
#include "contactjson.h"

#include "api/v1/accountjson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QJsonObject contactJson(const Contact &contact)
{
    return QJsonObject{{u"id"_s, contact.id},
                       {u"teamId"_s, contact.teamId},
                       {u"name"_s, textOrNull(contact.name)},
                       {u"phone"_s, textOrNull(contact.phone)},
                       {u"email"_s, textOrNull(contact.email)},
                       {u"attributes"_s, contact.attributes},
                       {u"optedOut"_s, contact.optedOutAt.isValid()},
                       {u"optedOutAt"_s, isoOrNull(contact.optedOutAt)},
                       {u"optedOutChannel"_s, textOrNull(contact.optedOutChannel)},
                       {u"mergedInto"_s, textOrNull(contact.mergedInto)},
                       {u"createdAt"_s, isoOrNull(contact.createdAt)},
                       {u"updatedAt"_s, isoOrNull(contact.updatedAt)}};
}

QJsonObject importReportJson(const ImportReport &report)
{
    QJsonArray errors;
    for (const ImportRowError &error : report.errors) {
        errors.append(QJsonObject{{u"row"_s, error.row},
                                  {u"field"_s, error.field},
                                  {u"message"_s, error.message}});
    }
    return QJsonObject{{u"created"_s, report.created},
                       {u"updated"_s, report.updated},
                       {u"failed"_s, report.failed},
                       {u"errors"_s, errors}};
}
