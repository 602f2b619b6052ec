// SPDX-License-Identifier: MIT
#include "importmapping.h"

#include "core/ids.h"
#include "domain/contacts/phonenormalizer.h"
#include "domain/inboxes/inboxrules.h"
#include "domain/inboxes/twilionumberservice.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

constexpr int kPreviewLength = 140; // as MessageService's conversation preview
const QString kWhatsappPrefix = u"whatsapp:"_s;

MappedRow rejected(const QString &id, const QString &reason)
{
    MappedRow row;
    row.sourceId = id;
    row.existsProbe = id;
    row.rejectReason = reason;
    return row;
}

MappedRow accepted(const QString &id)
{
    MappedRow row;
    row.sourceId = id;
    row.existsProbe = id;
    return row;
}

QVariant nullable(const QString &value)
{
    return value.isEmpty() ? QVariant() : QVariant(value);
}

// A source timestamp (already ISO UTC text); `fallback` when NULL, nullopt when unreadable.
std::optional<QString> timeOf(const SqlRow &row, const QString &column,
                              const QString &fallback = {})
{
    if (row.isNull(column)) {
        return fallback;
    }
    const QString text = row.text(column);
    if (!QDateTime::fromString(text, Qt::ISODateWithMs).isValid()) {
        return std::nullopt;
    }
    return text;
}

QString compactJson(const QJsonValue &value)
{
    if (value.isArray()) {
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    }
    return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

// A JSON column's text parsed; Undefined for NULL, nullopt for text that is not JSON.
std::optional<QJsonValue> jsonOf(const SqlRow &row, const QString &column)
{
    if (row.isNull(column)) {
        return QJsonValue(QJsonValue::Undefined);
    }
    // Wrapped in an array so scalars parse too.
    QJsonParseError error{};
    const QJsonDocument doc
        = QJsonDocument::fromJson((u"["_s + row.text(column) + u"]"_s).toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1) {
        return std::nullopt;
    }
    return doc.array().at(0);
}

bool isEmail(const QString &email)
{
    const qsizetype at = email.indexOf(u'@');
    return email.size() <= 254 && at > 0 && at < email.size() - 1 && !email.contains(u' ');
}

bool isBcrypt(const QString &hash)
{
    return hash.size() == 60
        && (hash.startsWith(u"$2a$"_s) || hash.startsWith(u"$2b$"_s) || hash.startsWith(u"$2y$"_s));
}

QString previewOf(const QString &body, int mediaCount)
{
    const QString text = body.simplified();
    if (text.isEmpty()) {
        if (mediaCount == 0) {
            return {};
        }
        return mediaCount == 1 ? u"[attachment]"_s : u"[%1 attachments]"_s.arg(mediaCount);
    }
    return text.size() <= kPreviewLength ? text : QString(text.left(kPreviewLength - 1) + u'…');
}

QString badTime(const QString &column)
{
    return u"%1 is not a timestamp"_s.arg(column);
}

} // namespace

namespace ImportMapping {

const TargetTable &users()
{
    static const TargetTable table{u"users"_s,
                                   {u"id"_s, u"email"_s, u"name"_s, u"avatar_url"_s,
                                    u"password_hash"_s, u"google_sub"_s, u"disabled"_s,
                                    u"created_at"_s, u"updated_at"_s}};
    return table;
}

const TargetTable &teams()
{
    static const TargetTable table{u"teams"_s,
                                   {u"id"_s, u"name"_s, u"created_at"_s, u"updated_at"_s}};
    return table;
}

const TargetTable &members()
{
    static const TargetTable table{
        u"team_members"_s, {u"id"_s, u"team_id"_s, u"user_id"_s, u"role"_s, u"created_at"_s}};
    return table;
}

const TargetTable &inboxes()
{
    static const TargetTable table{u"inboxes"_s,
                                   {u"id"_s, u"team_id"_s, u"name"_s, u"channel"_s, u"provider"_s,
                                    u"address"_s, u"account_sid"_s, u"credentials_ref"_s,
                                    u"owner_user_id"_s, u"created_at"_s, u"updated_at"_s}};
    return table;
}

const TargetTable &twilioNumbers()
{
    static const TargetTable table{
        u"user_twilio_numbers"_s,
        {u"user_id"_s, u"twilio_number"_s, u"verified_at"_s, u"updated_at"_s}};
    return table;
}

const TargetTable &contacts()
{
    static const TargetTable table{u"contacts"_s,
                                   {u"id"_s, u"team_id"_s, u"name"_s, u"phone"_s, u"email"_s,
                                    u"attributes"_s, u"merged_into"_s, u"created_at"_s,
                                    u"updated_at"_s}};
    return table;
}

const TargetTable &conversations()
{
    static const TargetTable table{u"conversations"_s,
                                   {u"id"_s, u"team_id"_s, u"contact_id"_s, u"channel"_s,
                                    u"status"_s, u"last_message_at"_s, u"last_message_preview"_s,
                                    u"unread_count"_s, u"created_at"_s, u"updated_at"_s}};
    return table;
}

const TargetTable &messages()
{
    static const TargetTable table{u"messages"_s,
                                   {u"id"_s, u"team_id"_s, u"conversation_id"_s, u"contact_id"_s,
                                    u"channel"_s, u"direction"_s, u"body"_s, u"media"_s,
                                    u"provider"_s, u"provider_sid"_s, u"status"_s, u"error_text"_s,
                                    u"scheduled_at"_s, u"sent_at"_s, u"created_by"_s,
                                    u"created_at"_s, u"updated_at"_s, u"metadata"_s}};
    return table;
}

const TargetTable &jobs()
{
    static const TargetTable table{u"jobs"_s,
                                   {u"id"_s, u"kind"_s, u"payload"_s, u"run_at"_s, u"status"_s,
                                    u"unique_key"_s, u"team_id"_s, u"created_at"_s,
                                    u"updated_at"_s}};
    return table;
}

const TargetTable &notes()
{
    static const TargetTable table{u"notes"_s,
                                   {u"id"_s, u"team_id"_s, u"author_id"_s, u"contact_id"_s,
                                    u"content"_s, u"is_private"_s, u"created_at"_s,
                                    u"updated_at"_s}};
    return table;
}

const TargetTable &importedEvents()
{
    static const TargetTable table{u"imported_events"_s,
                                   {u"id"_s, u"team_id"_s, u"type"_s, u"payload"_s,
                                    u"created_at"_s}};
    return table;
}

const TargetTable &importedRows()
{
    static const TargetTable table{u"imported_rows"_s,
                                   {u"source_table"_s, u"source_id"_s, u"imported_at"_s}};
    return table;
}

QString conversationId(const QString &contactId, const QString &channel)
{
    return contactId + u'.' + channel;
}

MappedRow user(const SqlRow &row)
{
    const QString id = row.text(u"id"_s);
    const QString email = row.text(u"email"_s).trimmed().toLower();
    if (!isEmail(email)) {
        return rejected(id, u"invalid email \"%1\""_s.arg(row.text(u"email"_s)));
    }
    const QString hash = row.text(u"password"_s);
    if (!hash.isEmpty() && !isBcrypt(hash)) {
        return rejected(id, u"the password is not a bcrypt hash"_s);
    }
    const std::optional<QString> created = timeOf(row, u"created_at"_s, nowIso());
    if (!created) {
        return rejected(id, badTime(u"createdAt"_s));
    }
    const QString googleSub = row.text(u"google_id"_s);
    MappedRow mapped = accepted(id);
    mapped.inserts.append({&users(),
                           {id, email, row.value(u"name"_s), nullable(row.text(u"avatar_url"_s)),
                            nullable(hash), nullable(googleSub), false, *created, *created}});
    mapped.keys.append({u"email"_s, email, email, id, u"email "_s + email});
    if (!googleSub.isEmpty()) {
        mapped.keys.append(
            {u"google_sub"_s, googleSub, googleSub, id, u"Google id "_s + googleSub});
    }
    return mapped;
}

MappedRow team(const SqlRow &row)
{
    const QString id = row.text(u"id"_s);
    const QString name = row.text(u"name"_s).trimmed();
    if (name.isEmpty()) {
        return rejected(id, u"the team has no name"_s);
    }
    const std::optional<QString> created = timeOf(row, u"created_at"_s, nowIso());
    if (!created) {
        return rejected(id, badTime(u"createdAt"_s));
    }
    MappedRow mapped = accepted(id);
    mapped.inserts.append({&teams(), {id, name, *created, *created}});
    return mapped;
}

MappedRow member(const SqlRow &row, const ImportState &state)
{
    const QString id = row.text(u"id"_s);
    const QString userId = row.text(u"user_id"_s);
    const QString teamId = row.text(u"team_id"_s);
    if (!state.users.contains(userId)) {
        return rejected(id, u"user %1 was not imported"_s.arg(userId));
    }
    if (!state.teams.contains(teamId)) {
        return rejected(id, u"team %1 was not imported"_s.arg(teamId));
    }
    const QString role = row.text(u"role"_s).toLower();
    if (role != u"viewer"_s && role != u"editor"_s && role != u"admin"_s) {
        return rejected(id, u"unknown role \"%1\""_s.arg(row.text(u"role"_s)));
    }
    const std::optional<QString> created = timeOf(row, u"created_at"_s, nowIso());
    if (!created) {
        return rejected(id, badTime(u"createdAt"_s));
    }
    MappedRow mapped = accepted(id);
    mapped.inserts.append({&members(), {id, teamId, userId, role, *created}});
    const QString pair = teamId + u'|' + userId;
    mapped.keys.append(
        {u"member"_s, userId, pair, id, u"membership of %1 in team %2"_s.arg(userId, teamId)});
    return mapped;
}

MappedRow twilioSettings(const SqlRow &row, const ImportState &state)
{
    const QString userId = row.text(u"id"_s);
    if (!state.users.contains(userId)) {
        return rejected(userId, u"user %1 was not imported"_s.arg(userId));
    }
    const auto first = state.firstTeam.constFind(userId);
    if (first == state.firstTeam.cend()) {
        return rejected(userId, u"the user is in no team, and personal inboxes belong to one"_s);
    }
    const QString teamId = first->second;

    // Numbers as the compatible route takes them: E.164, "whatsapp:" allowed in front.
    auto number = [&row](const QString &column, const QString &field, QString *problem) -> QString {
        const QString text = row.text(column).trimmed();
        if (text.isEmpty()) {
            return {};
        }
        const std::optional<QString> e164 = TwilioNumberService::phoneNumber(text);
        if (!e164) {
            *problem = u"%1 \"%2\" is not an E.164 number"_s.arg(field, text);
            return {};
        }
        return *e164;
    };
    QString problem;
    const QString twilioNumber = number(u"number"_s, u"twilioNumber"_s, &problem);
    const QString smsFrom = number(u"sms_from"_s, u"twilioSmsFrom"_s, &problem);
    const QString whatsappFrom = number(u"whatsapp_from"_s, u"twilioWhatsappFrom"_s, &problem);
    if (!problem.isEmpty()) {
        return rejected(userId, problem);
    }
    const QString accountSid = row.text(u"account_sid"_s).trimmed();
    const QByteArray token = row.text(u"auth_token"_s).trimmed().toUtf8();
    const QString now = nowIso();

    MappedRow mapped = accepted(userId);
    const bool verified = row.flag(u"verified"_s) && !twilioNumber.isEmpty();
    mapped.inserts.append(
        {&twilioNumbers(),
         {userId, nullable(twilioNumber), verified ? QVariant(now) : QVariant(), now}});
    mapped.keys.append(
        {u"twilio_user"_s, userId, userId, QString(), u"Twilio settings of user "_s + userId});
    if (verified) {
        mapped.keys.append({u"verified_number"_s, twilioNumber, twilioNumber, userId,
                            u"verified number "_s + twilioNumber});
    }
    // As TwilioNumberService: the SMS sender is twilioSmsFrom, else the number itself.
    const QString smsAddress = smsFrom.isEmpty() ? twilioNumber : smsFrom;
    const QList<std::pair<QString, QString>> wanted
        = {{u"sms"_s, smsAddress},
           {u"whatsapp"_s, whatsappFrom.isEmpty() ? QString() : kWhatsappPrefix + whatsappFrom}};
    for (const auto &[channel, address] : wanted) {
        if (address.isEmpty()) {
            continue;
        }
        const QString inboxId = userId + u'.' + channel;
        QString ref;
        if (!token.isEmpty()) {
            ref = InboxRules::credentialsRef(inboxId);
            mapped.secrets.append({ref, token});
        }
        mapped.inserts.append(
            {&inboxes(),
             {inboxId, teamId, channel == u"sms"_s ? u"Personal SMS"_s : u"Personal WhatsApp"_s,
              channel, u"twilio"_s, address, nullable(accountSid), nullable(ref), userId, now,
              now}});
        mapped.keys.append({u"inbox"_s, address, teamId + u'|' + channel + u'|' + address, inboxId,
                            u"%1 inbox at %2 in team %3"_s.arg(channel, address, teamId)});
    }
    mapped.inserts.append({&importedRows(), {u"User.twilio"_s, userId, now}});
    return mapped;
}

MappedRow contact(const SqlRow &row, const ImportState &state, const QString &region)
{
    const QString id = row.text(u"id"_s);
    const QString teamId = row.text(u"team_id"_s);
    if (!state.teams.contains(teamId)) {
        return rejected(id, u"team %1 was not imported"_s.arg(teamId));
    }
    QString phone;
    if (const QString input = row.text(u"phone"_s).trimmed(); !input.isEmpty()) {
        const std::optional<QString> e164 = PhoneNormalizer::toE164(input, region);
        if (!e164) {
            return rejected(id, u"invalid phone \"%1\""_s.arg(input));
        }
        phone = *e164;
    }
    const QString email = row.text(u"email"_s).trimmed().toLower();
    if (!email.isEmpty() && !isEmail(email)) {
        return rejected(id, u"invalid email \"%1\""_s.arg(row.text(u"email"_s)));
    }
    const QString mergedInto = row.text(u"merged_into"_s);
    if (!mergedInto.isEmpty() && state.contactTeam.value(mergedInto) != teamId) {
        return rejected(
            id, u"merged into contact %1, which was not imported into its team"_s.arg(mergedInto));
    }
    const std::optional<QJsonValue> social = jsonOf(row, u"social"_s);
    if (!social) {
        return rejected(id, u"social is not JSON"_s);
    }
    QJsonObject attributes;
    if (!social->isUndefined() && !social->isNull()) {
        attributes.insert(u"social"_s, *social);
    }
    const std::optional<QString> created = timeOf(row, u"created_at"_s, nowIso());
    const std::optional<QString> updated
        = timeOf(row, u"updated_at"_s, created.value_or(QString()));
    if (!created || !updated) {
        return rejected(id, badTime(u"createdAt/updatedAt"_s));
    }
    MappedRow mapped = accepted(id);
    mapped.inserts.append(
        {&contacts(),
         {id, teamId, nullable(row.text(u"name"_s).trimmed()), nullable(phone), nullable(email),
          compactJson(attributes), nullable(mergedInto), *created, *updated}});
    if (!phone.isEmpty() && mergedInto.isEmpty()) {
        // Here a number belongs to one live contact of a team; the original allowed several
        // (and "+1 415…" and "(415) …" become one number here). The later one keeps its
        // messages and notes but not the number, which goes to its attributes, so nothing is
        // lost and the two can be merged here.
        UniqueKey key{u"phone"_s,
                      phone,
                      teamId + u'|' + phone,
                      id,
                      u"phone %1 in team %2"_s.arg(phone, teamId),
                      true};
        mapped.keys.append(key);
        attributes.insert(u"importedPhone"_s, phone);
        mapped.fallback.append(
            {&contacts(),
             {id, teamId, nullable(row.text(u"name"_s).trimmed()), QVariant(), nullable(email),
              compactJson(attributes), QVariant(), *created, *updated}});
        mapped.fallbackNotice = u"imported without its phone (kept as attributes.importedPhone)"_s;
    }
    return mapped;
}

MappedRow conversation(const SqlRow &row, const ImportState &state)
{
    const QString key = row.text(u"k"_s);
    const QString contactId = row.text(u"contact_id"_s);
    const QString channel = row.text(u"channel"_s).toLower();
    const auto team = state.contactTeam.constFind(contactId);
    if (team == state.contactTeam.cend()) {
        return rejected(key, u"contact %1 was not imported"_s.arg(contactId));
    }
    const std::optional<QJsonValue> media = jsonOf(row, u"media"_s);
    const int mediaCount = media && media->isArray() ? int(media->toArray().size()) : 0;
    const std::optional<QString> last = timeOf(row, u"last_at"_s, nowIso());
    const std::optional<QString> first = timeOf(row, u"first_at"_s, last.value_or(QString()));
    if (!last || !first) {
        return rejected(key, badTime(u"createdAt"_s));
    }
    const QString id = conversationId(contactId, channel);
    MappedRow mapped = accepted(key);
    mapped.existsProbe = id;
    mapped.inserts.append(
        {&conversations(),
         {id, *team, contactId, channel, u"open"_s, *last,
          nullable(previewOf(row.text(u"body"_s), mediaCount)), 0, *first, *last}});
    return mapped;
}

MappedRow message(const SqlRow &row, const ImportState &state)
{
    const QString id = row.text(u"id"_s);
    const QString teamId = row.text(u"team_id"_s);
    const QString contactId = row.text(u"contact_id"_s);
    const auto contactTeam = state.contactTeam.constFind(contactId);
    if (contactTeam == state.contactTeam.cend()) {
        return rejected(id, u"contact %1 was not imported"_s.arg(contactId));
    }
    if (*contactTeam != teamId) {
        return rejected(id, u"contact %1 belongs to another team"_s.arg(contactId));
    }
    const QString channel = row.text(u"channel"_s).toLower();
    const QString conversation = conversationId(contactId, channel);
    if (!state.conversations.contains(conversation)) {
        return rejected(id, u"its conversation was not imported"_s);
    }
    const QString direction = row.text(u"direction"_s).toLower();
    if (direction != u"inbound"_s && direction != u"outbound"_s) {
        return rejected(id, u"unknown direction \"%1\""_s.arg(row.text(u"direction"_s)));
    }
    const std::optional<QJsonValue> media = jsonOf(row, u"media"_s);
    QJsonArray mediaArray;
    if (!media) {
        return rejected(id, u"media is not JSON"_s);
    }
    if (media->isArray()) {
        mediaArray = media->toArray();
        for (const QJsonValue &item : std::as_const(mediaArray)) {
            if (!item.isString()) {
                return rejected(id, u"media is not a list of URLs"_s);
            }
        }
    } else if (!media->isUndefined() && !media->isNull()) {
        return rejected(id, u"media is not a list of URLs"_s);
    }
    const std::optional<QJsonValue> metadataValue = jsonOf(row, u"metadata"_s);
    if (!metadataValue) {
        return rejected(id, u"metadata is not JSON"_s);
    }
    QJsonObject metadata;
    if (metadataValue->isObject()) {
        metadata = metadataValue->toObject();
    } else if (!metadataValue->isUndefined() && !metadataValue->isNull()) {
        metadata.insert(u"value"_s, *metadataValue);
    }
    if (const QString threadKey = row.text(u"thread_key"_s); !threadKey.isEmpty()) {
        metadata.insert(u"threadKey"_s, threadKey);
    }
    const std::optional<QString> created = timeOf(row, u"created_at"_s, nowIso());
    const std::optional<QString> scheduledAt = timeOf(row, u"scheduled_at"_s);
    const std::optional<QString> sentAt = timeOf(row, u"sent_at"_s);
    if (!created || !scheduledAt || !sentAt) {
        return rejected(id, badTime(u"createdAt/scheduledAt/sentAt"_s));
    }

    // The original's five states onto ours. A PENDING outbound message with a send time is a
    // scheduled message: it gets its delivery job, due at that time (at once if it is past: the
    // original never sent it). Any other PENDING one is left pending, without a job: whether
    // the original sent it is unknown, and sending twice is worse than not at all.
    const QString original = row.text(u"status"_s).toUpper();
    QString status;
    QString errorText;
    bool schedule = false;
    if (original == u"PENDING"_s) {
        if (!scheduledAt->isEmpty() && direction == u"outbound"_s) {
            if (channel == u"sms"_s || channel == u"whatsapp"_s) {
                status = u"scheduled"_s;
                schedule = true;
            } else {
                status = u"failed"_s;
                errorText
                    = u"Scheduled on %1, which Inbox Central does not send on."_s.arg(channel);
            }
        } else {
            status = u"pending"_s;
        }
    } else if (original == u"SENT"_s || original == u"DELIVERED"_s || original == u"FAILED"_s
               || original == u"RECEIVED"_s) {
        status = original.toLower();
    } else {
        return rejected(id, u"unknown status \"%1\""_s.arg(row.text(u"status"_s)));
    }
    const QString createdBy = row.text(u"created_by"_s);
    const QString externalId = row.text(u"external_id"_s).trimmed();

    MappedRow mapped = accepted(id);
    mapped.inserts.append(
        {&messages(),
         {id, teamId, conversation, contactId, channel, direction,
          row.isNull(u"body"_s) ? u""_s : row.text(u"body"_s), compactJson(mediaArray), u"twilio"_s,
          nullable(externalId), status, nullable(errorText), nullable(*scheduledAt),
          nullable(*sentAt), state.users.contains(createdBy) ? QVariant(createdBy) : QVariant(),
          *created, *created, compactJson(metadata)}});
    if (schedule) {
        const QString now = nowIso();
        mapped.inserts.append(
            {&jobs(),
             {newId(), u"message.send"_s, compactJson(QJsonObject{{u"messageId"_s, id}}),
              *scheduledAt, u"pending"_s, QString(u"send:"_s + id), teamId, now, now}});
    }
    if (!externalId.isEmpty()) {
        mapped.keys.append(
            {u"provider_sid"_s, externalId, externalId, id, u"external id "_s + externalId});
    }
    return mapped;
}

MappedRow note(const SqlRow &row, const ImportState &state)
{
    const QString id = row.text(u"id"_s);
    const QString teamId = row.text(u"team_id"_s);
    if (!state.teams.contains(teamId)) {
        return rejected(id, u"team %1 was not imported"_s.arg(teamId));
    }
    const QString contactId = row.text(u"contact_id"_s);
    if (!contactId.isEmpty() && state.contactTeam.value(contactId) != teamId) {
        return rejected(id, u"contact %1 was not imported into its team"_s.arg(contactId));
    }
    const std::optional<QString> created = timeOf(row, u"created_at"_s, nowIso());
    const std::optional<QString> updated
        = timeOf(row, u"updated_at"_s, created.value_or(QString()));
    if (!created || !updated) {
        return rejected(id, badTime(u"createdAt/updatedAt"_s));
    }
    const QString authorId = row.text(u"author_id"_s);
    MappedRow mapped = accepted(id);
    mapped.inserts.append(
        {&notes(),
         {id, teamId, state.users.contains(authorId) ? QVariant(authorId) : QVariant(),
          nullable(contactId), row.text(u"content"_s), row.flag(u"is_private"_s), *created,
          *updated}});
    return mapped;
}

MappedRow event(const SqlRow &row, const ImportState &state)
{
    const QString id = row.text(u"id"_s);
    const QString teamId = row.text(u"team_id"_s);
    if (!state.teams.contains(teamId)) {
        return rejected(id, u"team %1 was not imported"_s.arg(teamId));
    }
    const QString type = row.text(u"type"_s).trimmed();
    if (type.isEmpty()) {
        return rejected(id, u"the event has no type"_s);
    }
    const std::optional<QJsonValue> payloadValue = jsonOf(row, u"payload"_s);
    if (!payloadValue) {
        return rejected(id, u"payload is not JSON"_s);
    }
    QJsonObject payload;
    if (payloadValue->isObject()) {
        payload = payloadValue->toObject();
    } else if (!payloadValue->isUndefined() && !payloadValue->isNull()) {
        payload.insert(u"value"_s, *payloadValue);
    }
    const std::optional<QString> created = timeOf(row, u"created_at"_s, nowIso());
    if (!created) {
        return rejected(id, badTime(u"createdAt"_s));
    }
    // History, not the outbox: `events` is pruned and replayed to real-time clients.
    MappedRow mapped = accepted(id);
    mapped.inserts.append({&importedEvents(),
                           {id, teamId, type, compactJson(payload), *created}});
    return mapped;
}

} // namespace ImportMapping
