// SPDX-License-Identifier: MIT
#include "inboxroutes.h"

#include "api/pagination.h"
#include "api/servercontext.h"
#include "api/validation.h"
#include "domain/inboxes/inboxrules.h"
#include "domain/inboxes/inboxservice.h"
#include "http/router.h"
#include "storage/sqlrow.h"

#include "core/jsonvalues.h"
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

constexpr int MaxAddressLength = 64;
constexpr int MaxIdLength = 64;

QJsonObject inboxJson(const Inbox &inbox, const QString &publicUrl)
{
    const QString hooks = publicUrl + u"/api/v1/webhooks/twilio/"_s;
    return QJsonObject{
        {u"id"_s, inbox.id},
        {u"teamId"_s, inbox.teamId},
        {u"name"_s, inbox.name},
        {u"channel"_s, inbox.channel},
        {u"provider"_s, inbox.provider},
        {u"address"_s, inbox.address},
        {u"messagingServiceSid"_s, jsonTextOrNull(inbox.messagingServiceSid)},
        {u"accountSid"_s, jsonTextOrNull(inbox.accountSid)},
        {u"credentialsSet"_s, inbox.credentialsSet()},
        {u"agentNumbers"_s, QJsonArray::fromStringList(inbox.agentNumbers)},
        {u"ownerUserId"_s, jsonTextOrNull(inbox.ownerUserId)},
        {u"webhooks"_s, QJsonObject{{u"messages"_s, QString(hooks + u"messages"_s)},
                                    {u"status"_s, QString(hooks + u"status"_s)},
                                    {u"voice"_s, QString(hooks + u"voice"_s)}}},
        {u"createdAt"_s, isoUtc(inbox.createdAt)},
        {u"updatedAt"_s, isoUtc(inbox.updatedAt)},
    };
}

// An optional string field with a format: absent → nullopt (unchanged), null → "" (cleared),
// a string → checked by `valid`.
std::optional<QString> formattedField(JsonInput &input, const QJsonObject &body,
                                      const QString &field, bool (*valid)(const QString &),
                                      const QString &message)
{
    const QJsonValue value = body.value(field);
    if (value.isUndefined()) {
        return std::nullopt;
    }
    if (value.isNull()) {
        return QString();
    }
    if (!value.isString()) {
        input.addError(field, u"must be a string or null"_s);
        return std::nullopt;
    }
    const QString text = value.toString().trimmed();
    if (!valid(text)) {
        input.addError(field, message);
        return std::nullopt;
    }
    return text;
}

std::optional<QString> sidField(JsonInput &input, const QJsonObject &body, const QString &field)
{
    return field == u"accountSid"_s
        ? formattedField(input, body, field, InboxRules::isAccountSid,
                         u"must be AC followed by 32 hexadecimal digits, or null"_s)
        : formattedField(input, body, field, InboxRules::isMessagingServiceSid,
                         u"must be MG followed by 32 hexadecimal digits, or null"_s);
}

// authToken: absent → nothing; null → `*remove` set; a string of 32 hex digits → the secret.
std::optional<QByteArray> authTokenField(JsonInput &input, const QJsonObject &body, bool *remove)
{
    const QJsonValue value = body.value(u"authToken"_s);
    if (value.isNull()) {
        *remove = true;
        return std::nullopt;
    }
    std::optional<QString> token = formattedField(input, body, u"authToken"_s,
                                                  InboxRules::isAuthToken,
                                                  u"must be 32 hexadecimal digits, or null"_s);
    if (!token) {
        return std::nullopt;
    }
    return token->toLatin1();
}

// agentNumbers: absent → nullopt; null → none; an array of E.164 numbers (duplicates dropped).
std::optional<QStringList> agentNumbersField(JsonInput &input, const QJsonObject &body)
{
    const QString field = u"agentNumbers"_s;
    const QJsonValue value = body.value(field);
    if (value.isUndefined()) {
        return std::nullopt;
    }
    if (value.isNull()) {
        return QStringList();
    }
    if (!value.isArray()) {
        input.addError(field, u"must be an array of E.164 numbers"_s);
        return std::nullopt;
    }
    const QJsonArray array = value.toArray();
    if (array.size() > InboxRules::MaxAgentNumbers) {
        input.addError(field, u"must have at most %1 numbers"_s.arg(InboxRules::MaxAgentNumbers));
        return std::nullopt;
    }
    QStringList numbers;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString number = array.at(i).toString().trimmed();
        if (!array.at(i).isString() || !InboxRules::isE164(number)) {
            input.addError(field + u'[' + QString::number(i) + u']',
                           u"must be an E.164 number, e.g. +14155552671"_s);
        } else if (!numbers.contains(number)) {
            numbers.append(number);
        }
    }
    return numbers;
}

void rejectUnknownFields(JsonInput &input, const QJsonObject &body, const QStringList &known)
{
    for (const QString &key : body.keys()) {
        if (!known.contains(key)) {
            input.addError(key, u"is not a field of an inbox"_s);
        }
    }
}

const QStringList kWritableFields{u"name"_s,        u"channel"_s,    u"address"_s,
                                  u"messagingServiceSid"_s, u"accountSid"_s, u"authToken"_s,
                                  u"agentNumbers"_s, u"ownerUserId"_s};

auto answerInbox(const ResponderPtr &responder, const QString &publicUrl, int status = 200)
{
    return [responder, publicUrl, status](Result<Inbox> inbox) {
        if (!inbox) {
            return responder->fail(inbox.error());
        }
        responder->send(HttpResponse::json(inboxJson(inbox.value(), publicUrl), status));
    };
}

} // namespace

void registerInboxRoutes(Router &router, const ServerContext &context)
{
    const QString collection = u"/api/v1/teams/{teamId}/inboxes"_s;
    const QString item = collection + u"/{inboxId}"_s;

    router.add("GET"_ba, collection, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        Result<PageRequest> page = parsePageRequest(*request);
        if (!page) {
            return responder->fail(page.error());
        }
        const QString publicUrl = context.config->publicUrl;
        context.inboxes->list(principal->userId, request->param(u"teamId"_s), page.value(),
                              [responder, publicUrl](Result<Page<Inbox>> inboxes) {
                                  if (!inboxes) {
                                      return responder->fail(inboxes.error());
                                  }
                                  QJsonArray data;
                                  for (const Inbox &inbox : std::as_const(inboxes->items)) {
                                      data.append(inboxJson(inbox, publicUrl));
                                  }
                                  responder->send(HttpResponse::json(pageJson(data, inboxes->next)));
                              });
    });

    router.add("GET"_ba, item, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.inboxes->get(principal->userId, request->param(u"teamId"_s),
                             request->param(u"inboxId"_s),
                             answerInbox(responder, context.config->publicUrl));
    });

    router.add("POST"_ba, collection, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        InboxDraft draft;
        draft.name = input.requiredString(u"name"_s, InboxRules::MaxNameLength);
        draft.channel = input.requiredString(u"channel"_s, 20);
        const bool channelOk = InboxRules::isChannel(draft.channel);
        if (body->value(u"channel"_s).isString() && !channelOk) {
            input.addError(u"channel"_s, u"must be sms, whatsapp or voice"_s);
        }
        draft.address = input.requiredString(u"address"_s, MaxAddressLength);
        if (body->value(u"address"_s).isString() && !draft.address.isEmpty()) {
            // Without a valid channel, the address is checked for the widest shape (E.164 with
            // or without whatsapp:), so the client still sees every error at once.
            const QString channel = channelOk ? draft.channel : u"whatsapp"_s;
            QString why;
            if (const auto address = InboxRules::normaliseAddress(channel, draft.address, &why)) {
                draft.address = *address;
            } else {
                input.addError(u"address"_s, why);
            }
        }
        draft.messagingServiceSid = sidField(input, *body, u"messagingServiceSid"_s).value_or(QString());
        draft.accountSid = sidField(input, *body, u"accountSid"_s).value_or(QString());
        bool ignored = false; // null on create simply means "no credentials"
        draft.authToken = authTokenField(input, *body, &ignored);
        draft.agentNumbers = agentNumbersField(input, *body).value_or(QStringList());
        draft.ownerUserId = input.optionalString(u"ownerUserId"_s, MaxIdLength).value_or(QString());
        rejectUnknownFields(input, *body, kWritableFields);
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.inboxes->create(principal->userId, request->param(u"teamId"_s), draft,
                                answerInbox(responder, context.config->publicUrl, 201));
    });

    router.add("PATCH"_ba, item, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        InboxChange change;
        if (input.has(u"name"_s)) {
            change.name = input.requiredString(u"name"_s, InboxRules::MaxNameLength);
        }
        if (input.has(u"address"_s)) {
            // checked against the inbox's channel by the use case
            change.address = input.requiredString(u"address"_s, MaxAddressLength);
        }
        if (input.has(u"channel"_s)) {
            input.addError(u"channel"_s, u"cannot be changed; create another inbox instead"_s);
        }
        change.messagingServiceSid = sidField(input, *body, u"messagingServiceSid"_s);
        change.accountSid = sidField(input, *body, u"accountSid"_s);
        change.authToken = authTokenField(input, *body, &change.removeAuthToken);
        change.agentNumbers = agentNumbersField(input, *body);
        change.ownerUserId = input.optionalString(u"ownerUserId"_s, MaxIdLength);
        rejectUnknownFields(input, *body, kWritableFields);
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.inboxes->update(principal->userId, request->param(u"teamId"_s),
                                request->param(u"inboxId"_s), change,
                                answerInbox(responder, context.config->publicUrl));
    });

    router.add("DELETE"_ba, item, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.inboxes->remove(principal->userId, request->param(u"teamId"_s),
                                request->param(u"inboxId"_s), [responder](Status status) {
                                    if (!status) {
                                        return responder->fail(status.error());
                                    }
                                    responder->send(HttpResponse::noContent());
                                });
    });
}
