// SPDX-License-Identifier: MIT
#include "compattwilioroutes.h"

#include "api/compat/compatuserjson.h"
#include "api/servercontext.h"
#include "channels/twilio/inboxdirectory.h"
#include "channels/twilio/twiliorestclient.h"
#include "domain/accounts/accountservice.h"
#include "domain/inboxes/inboxrules.h"
#include "domain/inboxes/twilionumberservice.h"
#include "http/router.h"

using namespace Qt::StringLiterals;

namespace {

const QString kNumber = u"twilioNumber"_s;
const QString kAccountSid = u"twilioAccountSid"_s;
const QString kAuthToken = u"twilioAuthToken"_s;
const QString kSmsFrom = u"twilioSmsFrom"_s;
const QString kWhatsappFrom = u"twilioWhatsappFrom"_s;

// The credential fields of a body: absent stays unchanged, null or "" clears, anything else must
// have the field's shape. Problems go to `errors`.
TwilioNumberChange readChange(const QJsonObject &body, QList<FieldError> &errors)
{
    TwilioNumberChange change;
    const auto text = [&](const QString &field) -> std::optional<QString> {
        if (!body.contains(field)) {
            return std::nullopt;
        }
        const QJsonValue value = body.value(field);
        if (value.isNull()) {
            return QString();
        }
        if (!value.isString()) {
            errors.append({field, u"must be a string"_s});
            return std::nullopt;
        }
        return value.toString().trimmed();
    };
    const auto number = [&](const QString &field) -> std::optional<QString> {
        std::optional<QString> given = text(field);
        if (!given || given->isEmpty()) {
            return given;
        }
        std::optional<QString> e164 = TwilioNumberService::phoneNumber(*given);
        if (!e164) {
            errors.append({field, u"must be an E.164 number, e.g. +14155552671"_s});
        }
        return e164;
    };
    change.number = number(kNumber);
    change.smsFrom = number(kSmsFrom);
    change.whatsappFrom = number(kWhatsappFrom);
    change.accountSid = text(kAccountSid);
    if (change.accountSid && !change.accountSid->isEmpty()
        && !InboxRules::isAccountSid(*change.accountSid)) {
        errors.append({kAccountSid, u"must be AC followed by 32 hex digits"_s});
    }
    if (const std::optional<QString> token = text(kAuthToken)) {
        if (!token->isEmpty() && !InboxRules::isAuthToken(*token)) {
            errors.append({kAuthToken, u"must be 32 hex digits"_s});
        }
        change.authToken = token->toUtf8();
    }
    return change;
}

// {message, user}: the caller's compatible user with their Twilio fields.
void answerWithUser(const ServerContext &context, const ResponderPtr &responder,
                    const QString &userId, const QString &message, const TwilioProfile &profile)
{
    context.accounts->me(userId, false, [responder, message, profile](Result<User> user) {
        if (!user) {
            return responder->fail(user.error());
        }
        responder->send(HttpResponse::json(QJsonObject{
            {u"message"_s, message}, {u"user"_s, compatUser(user.value(), UserShape::Session, profile)}}));
    });
}

// The code as typed; a JSON number is taken too (a form may send 012345 as 12345).
std::optional<QString> readCode(const QJsonValue &value)
{
    if (value.isString()) {
        return value.toString().trimmed();
    }
    if (value.isDouble()) {
        const qint64 code = value.toInteger(-1);
        if (code >= 0 && code <= 999999) {
            return u"%1"_s.arg(code, 6, 10, QLatin1Char('0'));
        }
    }
    return std::nullopt;
}

} // namespace

void registerCompatTwilioRoutes(Router &router, const ServerContext &context)
{
    router.add("PUT"_ba, u"/api/auth/update-twilio-number"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        QList<FieldError> errors;
        const TwilioNumberChange change = readChange(call->body, errors);
        if (!errors.isEmpty()) {
            return responder->fail(ApiError::validation(errors));
        }
        const QString userId = call->principal.userId;
        context.twilioNumbers->update(userId, change, [context, responder, userId](Result<TwilioProfile> profile) {
            if (!profile) {
                return responder->fail(profile.error());
            }
            context.inboxDirectory->invalidate();
            answerWithUser(context, responder, userId, u"Twilio settings updated"_s, profile.value());
        });
    }, BodyKind::Json, Surface::CompatMessage);

    router.add("POST"_ba, u"/api/auth/request-twilio-otp"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const QJsonValue given = call->body.value(kNumber);
        const std::optional<QString> number =
            given.isString() ? TwilioNumberService::phoneNumber(given.toString()) : std::nullopt;
        if (!number) {
            return responder->fail(ApiError::validation(
                {{kNumber, u"must be an E.164 number, e.g. +14155552671"_s}}));
        }
        context.twilioNumbers->requestCode(call->principal.userId, *number, [context, responder](Result<OtpDelivery> otp) {
            if (!otp) {
                return responder->fail(otp.error());
            }
            const QString body = u"Your Inbox Central verification code is %1. It expires in %2 "
                                 "minutes."_s.arg(otp->code,
                                                  QString::number(TwilioNumberService::DefaultCodeTtlSeconds / 60));
            context.twilio->postMessage(
                otp->accountSid, otp->authToken,
                {{u"To"_s, otp->to}, {u"From"_s, otp->from}, {u"Body"_s, body}}, context.twilio,
                [responder](Result<QJsonObject> sent) {
                    if (!sent) {
                        ApiError error = sent.error();
                        error.detail = u"Could not send the code: "_s + error.detail;
                        return responder->fail(error);
                    }
                    responder->send(HttpResponse::json(QJsonObject{{u"message"_s, u"OTP sent"_s}}));
                });
        });
    }, BodyKind::Json, Surface::CompatMessage);

    router.add("POST"_ba, u"/api/auth/verify-twilio-otp"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const QJsonValue given = call->body.value(kNumber);
        const std::optional<QString> number =
            given.isString() ? TwilioNumberService::phoneNumber(given.toString()) : std::nullopt;
        QList<FieldError> errors;
        if (!number) {
            errors.append({kNumber, u"must be an E.164 number, e.g. +14155552671"_s});
        }
        const std::optional<QString> code = readCode(call->body.value(u"otp"_s));
        if (!code || code->isEmpty()) {
            errors.append({u"otp"_s, u"is required"_s});
        }
        // The modal sends the credentials along; the number is the one being verified.
        QJsonObject credentials = call->body;
        credentials.remove(kNumber);
        const TwilioNumberChange change = readChange(credentials, errors);
        if (!errors.isEmpty()) {
            return responder->fail(ApiError::validation(errors));
        }
        const QString userId = call->principal.userId;
        context.twilioNumbers->verifyCode(userId, *number, *code, change, [context, responder, userId](Result<TwilioProfile> profile) {
            if (!profile) {
                return responder->fail(profile.error());
            }
            context.inboxDirectory->invalidate();
            answerWithUser(context, responder, userId, u"Twilio number verified"_s, profile.value());
        });
    }, BodyKind::Json, Surface::CompatMessage);

    router.add("POST"_ba, u"/api/auth/remove-twilio-number"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        const QString userId = principal->userId;
        context.twilioNumbers->remove(userId, [context, responder, userId](Result<TwilioProfile> profile) {
            if (!profile) {
                return responder->fail(profile.error());
            }
            context.inboxDirectory->invalidate();
            answerWithUser(context, responder, userId, u"Twilio number removed"_s, profile.value());
        });
    }, BodyKind::Json, Surface::CompatMessage);
}
