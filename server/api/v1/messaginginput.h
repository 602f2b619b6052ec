// SPDX-License-Identifier: MIT
#pragma once
// Request parsing shared by the conversation, message and note routes of /api/v1 and by the
// compatible inbox routes: timestamps, outgoing message fields, unknown-field checks, and the
// list envelope.

#include "api/pagination.h"
#include "api/servercontext.h"
#include "api/validation.h"
#include "domain/page.h"
#include "http/responder.h"
#include "domain/messages/messagetypes.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <functional>
#include <optional>

// An ISO-8601 time with an explicit zone ("...Z" or "+02:00"); a time without one would be read
// in the server's local zone, so it is refused.
[[nodiscard]] std::optional<QDateTime> parseIsoTimestamp(const QString &text);

// Adds a field error for each body field outside `allowed` (a typo must not pass silently).
void rejectUnknownFields(JsonInput &input, const QJsonObject &body, const QStringList &allowed);

// A field holding a time in the future, at most a year ahead. Absent or null → an invalid time.
[[nodiscard]] QDateTime optionalFutureTime(JsonInput &input, const QJsonObject &body,
                                           const QString &field);

// Outgoing message fields: `bodyField` (up to 1,600 characters; empty only with media),
// `mediaField` (up to 10 http(s) URLs; empty name: not accepted) and a send time
// (`sendAtField`, future, up to a year ahead).
[[nodiscard]] OutboundRequest readOutbound(JsonInput &input, const QJsonObject &body,
                                           const QString &bodyField, const QString &mediaField,
                                           const QString &sendAtField);

// A new text for a message that is still scheduled: `field` as a string of up to 1,600
// characters (whether it may be blank depends on the message's media: the use case checks).
// Absent → a null QString (unchanged); null or not a string → a field error.
[[nodiscard]] QString optionalMessageBody(JsonInput &input, const QJsonObject &body,
                                          const QString &field);

// A page of items as {data, nextCursor}.
template<typename T, typename ToJson>
[[nodiscard]] QJsonObject pageJsonOf(const QList<T> &items, const std::optional<PageCursor> &next,
                                     ToJson toJson)
{
    QJsonArray data;
    for (const T &item : items) {
        data.append(toJson(item));
    }
    return pageJson(data, next);
}

// The reply of a list use case: the page as {data, nextCursor}, or the error.
template<typename T, typename ToJson>
[[nodiscard]] std::function<void(Result<Page<T>>)> answerPage(const ResponderPtr &responder,
                                                              ToJson toJson)
{
    return [responder, toJson](Result<Page<T>> result) {
        if (!result) {
            return responder->fail(result.error());
        }
        responder->send(HttpResponse::json(pageJsonOf(result->items, result->next, toJson)));
    };
}

// The same, kept in the read cache for the next identical read (servercontext.h).
template<typename T, typename ToJson>
[[nodiscard]] std::function<void(Result<Page<T>>)> answerPageKept(const ServerContext &context,
                                                                  const ReadCache::Ticket &ticket,
                                                                  const ResponderPtr &responder,
                                                                  ToJson toJson)
{
    return [context, ticket, responder, toJson](Result<Page<T>> result) {
        if (!result) {
            return responder->fail(result.error());
        }
        keepAndSend(context, ticket, responder,
                    QJsonDocument(pageJsonOf(result->items, result->next, toJson))
                            .toJson(QJsonDocument::Compact));
    };
}
