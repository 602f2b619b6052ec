// SPDX-License-Identifier: MIT
#include "messaginginput.h"

#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxBodyCharacters = 1600; // Twilio's limit for one message
constexpr int kMaxMedia = 10;            // Twilio's limit of media per message
constexpr int kMaxUrlLength = 2048;

bool isHttpUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return text.size() <= kMaxUrlLength && url.isValid() && !url.host().isEmpty()
        && (url.scheme() == u"https"_s || url.scheme() == u"http"_s);
}

} // namespace

std::optional<QDateTime> parseIsoTimestamp(const QString &text)
{
    static const QRegularExpression zoned(
        u"^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$"_s);
    if (text.size() > 40 || !zoned.match(text).hasMatch()) {
        return std::nullopt;
    }
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid()) {
        time = QDateTime::fromString(text, Qt::ISODate);
    }
    if (!time.isValid()) {
        return std::nullopt;
    }
    return time.toUTC();
}

void rejectUnknownFields(JsonInput &input, const QJsonObject &body, const QStringList &allowed)
{
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!allowed.contains(it.key())) {
            input.addError(it.key(), u"is not a known field"_s);
        }
    }
}

QDateTime optionalFutureTime(JsonInput &input, const QJsonObject &body, const QString &field)
{
    const QJsonValue value = body.value(field);
    if (value.isUndefined() || value.isNull()) {
        return {};
    }
    const std::optional<QDateTime> time =
        value.isString() ? parseIsoTimestamp(value.toString()) : std::nullopt;
    if (!time) {
        input.addError(field, u"must be an ISO-8601 time with a zone, e.g. 2030-01-31T09:00:00Z"_s);
        return {};
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (*time <= now) {
        input.addError(field, u"must be in the future"_s);
    } else if (*time > now.addYears(1)) {
        input.addError(field, u"must be at most a year ahead"_s);
    }
    return *time;
}

OutboundRequest readOutbound(JsonInput &input, const QJsonObject &body, const QString &bodyField,
                             const QString &mediaField, const QString &sendAtField)
{
    OutboundRequest request;
    if (!mediaField.isEmpty()) {
        const QJsonValue media = body.value(mediaField);
        if (media.isArray()) {
            const QJsonArray urls = media.toArray();
            if (urls.size() > kMaxMedia) {
                input.addError(mediaField, u"must hold at most %1 URLs"_s.arg(kMaxMedia));
            }
            for (qsizetype i = 0; i < urls.size() && i < kMaxMedia; ++i) {
                const QString url = urls.at(i).toString();
                if (!urls.at(i).isString() || !isHttpUrl(url)) {
                    input.addError(u"%1[%2]"_s.arg(mediaField).arg(i), u"must be an http(s) URL"_s);
                } else {
                    request.mediaUrls.append(url);
                }
            }
        } else if (!media.isUndefined() && !media.isNull()) {
            input.addError(mediaField, u"must be an array of URLs"_s);
        }
    }

    const QJsonValue text = body.value(bodyField);
    if (text.isString()) {
        // Kept as written (leading spaces and line breaks are part of a message).
        request.body = text.toString();
        if (request.body.toUcs4().size() > kMaxBodyCharacters) {
            input.addError(bodyField, u"must be at most %1 characters"_s.arg(kMaxBodyCharacters));
        }
    } else if (!text.isUndefined() && !text.isNull()) {
        input.addError(bodyField, u"must be a string"_s);
    }
    if (request.body.trimmed().isEmpty() && request.mediaUrls.isEmpty()) {
        input.addError(bodyField, text.isUndefined() || text.isNull()
                                      ? u"is required"_s
                                      : u"must not be empty (unless media is sent)"_s);
    }

    if (!sendAtField.isEmpty()) {
        request.sendAt = optionalFutureTime(input, body, sendAtField);
    }
    return request;
}

QString optionalMessageBody(JsonInput &input, const QJsonObject &body, const QString &field)
{
    const QJsonValue text = body.value(field);
    if (text.isUndefined()) {
        return {};
    }
    if (!text.isString()) {
        input.addError(field, u"must be a string"_s);
        return {};
    }
    if (text.toString().toUcs4().size() > kMaxBodyCharacters) {
        input.addError(field, u"must be at most %1 characters"_s.arg(kMaxBodyCharacters));
        return {};
    }
    // Kept as written; an empty string is a real (empty) body, not "unchanged".
    QString kept = text.toString();
    if (kept.isNull()) {
        kept = u""_s;
    }
    return kept;
}
