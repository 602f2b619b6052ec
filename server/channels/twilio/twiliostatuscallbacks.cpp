// SPDX-License-Identifier: MIT
#include "twiliostatuscallbacks.h"

#include "domain/messages/deliverystatus.h"
#include "storage/database.h"
#include "storage/messagestore.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace {

Result<StatusCallbackResult> applyInTransaction(DbConnection &db, const StatusCallback &callback)
{
    Result<std::optional<Message>> found =
        MessageStore::byProviderSid(db, u"twilio"_s, callback.messageSid);
    if (!found) {
        return found.error();
    }
    if (!found.value() || found.value()->teamId != callback.teamId
        || found.value()->direction != u"outbound"_s) {
        return StatusCallbackResult::UnknownMessage;
    }
    Message message = *found.value();
    const QString next = DeliveryStatus::fromTwilio(callback.status);
    if (next.isEmpty() || !DeliveryStatus::advances(message.status, next)) {
        return StatusCallbackResult::Unchanged;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    message.status = next;
    if ((next == u"sent"_s || next == u"delivered"_s || next == u"read"_s) && !message.sentAt.isValid()) {
        message.sentAt = now;
    }
    if ((next == u"delivered"_s || next == u"read"_s) && !message.deliveredAt.isValid()) {
        message.deliveredAt = now;
    }
    if (next == u"failed"_s || next == u"undelivered"_s) {
        message.errorCode = callback.errorCode;
        message.errorText = TwilioStatusCallbacks::errorText(callback.errorCode);
    } else if (DeliveryStatus::isTerminal(next)) {
        message.errorText.clear(); // e.g. "Retrying: ..." from an earlier attempt
    }
    // The state and its message.updated event together (one statement on PostgreSQL).
    if (Result<bool> saved =
            MessageStore::updateDeliveryAnnounced(db, message, messageJson(message));
        !saved) {
        return saved.error();
    }
    return StatusCallbackResult::Applied;
}

} // namespace

TwilioStatusCallbacks::TwilioStatusCallbacks(Database *db, QObject *parent)
    : QObject(parent), m_db(db)
{
}

void TwilioStatusCallbacks::apply(const StatusCallback &callback,
                                  std::function<void(Result<StatusCallbackResult>)> done)
{
    m_db->runGrouped<StatusCallbackResult>(
        callback.messageSid,
        [callback](DbConnection &db) {
            return runInTransaction<StatusCallbackResult>(
                db, [&] { return applyInTransaction(db, callback); });
        },
        this, std::move(done));
}

QString TwilioStatusCallbacks::errorText(const QString &code)
{
    static const QHash<QString, QString> texts{
        {u"21610"_s, u"The recipient has unsubscribed (replied STOP)."_s},
        {u"30001"_s, u"Queue overflow: too many messages queued for the sender."_s},
        {u"30002"_s, u"The Twilio account is suspended."_s},
        {u"30003"_s, u"Unreachable destination handset."_s},
        {u"30004"_s, u"Message blocked by the recipient or carrier."_s},
        {u"30005"_s, u"Unknown destination handset."_s},
        {u"30006"_s, u"Landline or unreachable carrier."_s},
        {u"30007"_s, u"Filtered by the carrier as spam or against its rules."_s},
        {u"30008"_s, u"Unknown error from the carrier."_s},
        {u"30032"_s, u"The toll-free number is not verified."_s},
        {u"30034"_s, u"The sender is not registered for A2P 10DLC."_s},
        {u"63016"_s, u"WhatsApp: outside the 24-hour window; a template is required."_s},
    };
    if (code.isEmpty()) {
        return u"Twilio reported the message as not delivered."_s;
    }
    return texts.value(code, u"Twilio error %1 (https://www.twilio.com/docs/errors/%1)."_s.arg(code));
}
