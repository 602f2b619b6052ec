// SPDX-License-Identifier: MIT
#include "contactjson.h"

#include "api/v1/accountjson.h"

#include "core/jsonvalues.h"
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

} // namespace

QJsonObject contactJson(const Contact &contact)
{
    return QJsonObject{{u"id"_s, contact.id},
                       {u"teamId"_s, contact.teamId},
                       {u"name"_s, jsonTextOrNull(contact.name)},
                       {u"phone"_s, jsonTextOrNull(contact.phone)},
                       {u"email"_s, jsonTextOrNull(contact.email)},
                       {u"attributes"_s, contact.attributes},
                       {u"optedOut"_s, contact.optedOutAt.isValid()},
                       {u"optedOutAt"_s, isoTimeOrNull(contact.optedOutAt)},
                       {u"optedOutChannel"_s, jsonTextOrNull(contact.optedOutChannel)},
                       {u"mergedInto"_s, jsonTextOrNull(contact.mergedInto)},
                       {u"createdAt"_s, isoTimeOrNull(contact.createdAt)},
                       {u"updatedAt"_s, isoTimeOrNull(contact.updatedAt)}};
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
