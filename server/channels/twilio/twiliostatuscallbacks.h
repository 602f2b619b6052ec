// SPDX-License-Identifier: MIT
#pragma once
// Message status callbacks (TWILIO.md "Message status callbacks"): Twilio's word for where an
// outbound message is, applied forward-only (DeliveryStatus): late, repeated or out-of-order
// callbacks change nothing, a terminal state sticks. A change stores the error code (with a
// readable text for the common ones: Twilio sends no ErrorMessage) and announces
// `message.updated`. A callback for a message of another team than the signing inbox's, or for
// an unknown MessageSid, is acknowledged and ignored.

#include "core/result.h"

#include <QObject>

#include <functional>

class Database;

struct StatusCallback
{
    QString teamId;      // of the inbox whose token signed it
    QString messageSid;
    QString status;      // MessageStatus (Twilio's word)
    QString errorCode;   // ErrorCode, on failed/undelivered
};

enum class StatusCallbackResult { Applied, Unchanged, UnknownMessage };

class TwilioStatusCallbacks : public QObject
{
    Q_OBJECT
public:
    explicit TwilioStatusCallbacks(Database *db, QObject *parent = nullptr);

    void apply(const StatusCallback &callback,
               std::function<void(Result<StatusCallbackResult>)> done);

    // Twilio's meaning of an error code, for the codes a messaging inbox meets most.
    [[nodiscard]] static QString errorText(const QString &code);

private:
    Database *m_db;
};
