// SPDX-License-Identifier: MIT
#include "contactroutes.h"

#include "api/pagination.h"
#include "api/servercontext.h"
#include "api/v1/contactjson.h"
#include "api/validation.h"
#include "domain/contacts/contactrules.h"
#include "domain/contacts/contactservice.h"
#include "http/router.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

const QString kContacts = u"/api/v1/teams/{teamId}/contacts"_s;

// Unknown fields are refused rather than ignored, so a typo ("phon") is not a silent no-op.
void refuseUnknownFields(JsonInput &input, const QJsonObject &body, const QStringList &known)
{
    for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
        if (!known.contains(it.key())) {
            input.addError(it.key().left(64), u"is not a known field"_s);
        }
    }
}

// The fields of a create or an edit: absent stays absent, null clears (an empty string).
ContactChange contactChange(JsonInput &input, const QJsonObject &body)
{
    refuseUnknownFields(input, body, {u"name"_s, u"phone"_s, u"email"_s, u"attributes"_s});
    ContactChange change;
    change.name = input.optionalString(u"name"_s, ContactRules::kMaxName);
    change.phone = input.optionalString(u"phone"_s, ContactRules::kMaxPhoneInput);
    change.email = input.optionalString(u"email"_s, ContactRules::kMaxEmail);
    const QJsonValue attributes = body.value(u"attributes"_s);
    if (attributes.isNull()) {
        change.attributes = QJsonObject();
    } else if (attributes.isObject()) {
        change.attributes = attributes.toObject();
    } else if (!attributes.isUndefined()) {
        input.addError(u"attributes"_s, u"must be an object"_s);
    }
    // Everything but the phone (which needs the team's region) is checked here, so one answer
    // names every bad field.
    QList<FieldError> errors;
    ContactRules::checkFields(change, errors);
    const QList<FieldError> typeErrors = input.error().fieldErrors;
    for (const FieldError &error : std::as_const(errors)) {
        const bool known = std::any_of(typeErrors.cbegin(), typeErrors.cend(),
                                       [&](const FieldError &e) { return e.field == error.field; });
        if (!known) { // one message per field: "must be at most 200 characters" is enough
            input.addError(error.field, error.message);
        }
    }
    return change;
}

std::optional<bool> booleanQuery(const HttpRequest &request, const QString &name,
                                 QList<FieldError> &errors)
{
    const QString value = request.queryValue(name);
    if (value.isEmpty()) {
        return std::nullopt;
    }
    if (value == u"true"_s || value == u"false"_s) {
        return value == u"true"_s;
    }
    errors.append({name, u"must be true or false"_s});
    return std::nullopt;
}

ContactService::Reply<Contact> answerContact(const ResponderPtr &responder, int status = 200)
{
    return [responder, status](Result<Contact> contact) {
        if (!contact) {
            return responder->fail(contact.error());
        }
        responder->send(HttpResponse::json(contactJson(contact.value()), status));
    };
}

bool isCsv(const QByteArray &contentType)
{
    const QByteArray type = contentType.split(';').first().trimmed().toLower();
    return type == "text/csv";
}

} // namespace

void registerContactRoutes(Router &router, const ServerContext &context)
{
    router.add("GET"_ba, kContacts, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        QList<FieldError> errors;
        Result<PageRequest> page = parsePageRequest(*request);
        if (!page) {
            errors = page.error().fieldErrors;
        }
        ContactFilter filter;
        filter.query = request->queryValue(u"q"_s).trimmed();
        if (filter.query.size() > 200) {
            errors.append({u"q"_s, u"must be at most 200 characters"_s});
        }
        filter.optedOut = booleanQuery(*request, u"optedOut"_s, errors);
        filter.includeMerged = booleanQuery(*request, u"includeMerged"_s, errors).value_or(false);
        if (!errors.isEmpty()) {
            return responder->fail(ApiError::validation(errors));
        }
        context.contacts->list(principal->userId, request->param(u"teamId"_s), filter, page.value(),
                               [responder](Result<Page<Contact>> result) {
                                   if (!result) {
                                       return responder->fail(result.error());
                                   }
                                   QJsonArray data;
                                   for (const Contact &contact : result->items) {
                                       data.append(contactJson(contact));
                                   }
                                   responder->send(HttpResponse::json(pageJson(data, result->next)));
                               });
    });

    router.add("POST"_ba, kContacts, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        ContactChange change = contactChange(input, *body);
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.contacts->create(principal->userId, request->param(u"teamId"_s), std::move(change),
                                 answerContact(responder, 201));
    });

    // The literal routes come before /contacts/{contactId}: the router tries patterns in order.
    router.add("GET"_ba, kContacts + u"/export"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.contacts->exportCsv(principal->userId, request->param(u"teamId"_s),
                                    [responder](Result<QByteArray> csv) {
                                        if (!csv) {
                                            return responder->fail(csv.error());
                                        }
                                        HttpResponse response = HttpResponse::text(
                                            csv.value(), 200, "text/csv; charset=utf-8"_ba);
                                        response.setHeader("Content-Disposition"_ba,
                                                           "attachment; filename=\"contacts.csv\""_ba);
                                        responder->send(std::move(response));
                                    });
    });

    router.add("POST"_ba, kContacts + u"/import"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        if (!isCsv(request->header("content-type"))) {
            return responder->fail(ApiError{415, u"unsupported-media-type"_s,
                                            u"Unsupported media type"_s,
                                            u"Send the body as text/csv."_s, {}, 0});
        }
        context.contacts->importCsv(principal->userId, request->param(u"teamId"_s), request->body,
                                    [responder](Result<ImportReport> report) {
                                        if (!report) {
                                            return responder->fail(report.error());
                                        }
                                        responder->send(HttpResponse::json(importReportJson(report.value())));
                                    });
    }, BodyKind::Any);

    router.add("GET"_ba, kContacts + u"/{contactId}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.contacts->get(principal->userId, request->param(u"teamId"_s),
                              request->param(u"contactId"_s), answerContact(responder));
    });

    router.add("PATCH"_ba, kContacts + u"/{contactId}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        ContactChange change = contactChange(input, *body);
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.contacts->update(principal->userId, request->param(u"teamId"_s),
                                 request->param(u"contactId"_s), std::move(change),
                                 answerContact(responder));
    });

    router.add("DELETE"_ba, kContacts + u"/{contactId}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.contacts->remove(principal->userId, request->param(u"teamId"_s),
                                 request->param(u"contactId"_s), [responder](Status status) {
                                     if (!status) {
                                         return responder->fail(status.error());
                                     }
                                     responder->send(HttpResponse::noContent());
                                 });
    });

    router.add("POST"_ba, kContacts + u"/{contactId}/merge"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        refuseUnknownFields(input, *body, {u"sourceContactId"_s});
        const QString sourceId = input.requiredString(u"sourceContactId"_s, 100);
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.contacts->merge(principal->userId, request->param(u"teamId"_s),
                                request->param(u"contactId"_s), sourceId, answerContact(responder));
    });
}
