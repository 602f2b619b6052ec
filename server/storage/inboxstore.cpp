// SPDX-License-Identifier: MIT
#include "inboxstore.h"

#include <QJsonArray>

#include <algorithm>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace InboxStore {

namespace {

const QString kColumns =
    u"id, team_id, name, channel, provider, address, messaging_service_sid, account_sid, "
    "credentials_ref, owner_user_id, settings, created_at, updated_at"_s;

const QString kAgentNumbers = u"agentNumbers"_s;

QVariant nullable(const QString &value)
{
    return value.isEmpty() ? QVariant() : QVariant(value);
}


QString settingsText(const Inbox &inbox)
{
    QJsonObject settings = inbox.settings;
    if (!inbox.agentNumbers.isEmpty()) {
        settings.insert(kAgentNumbers, QJsonArray::fromStringList(inbox.agentNumbers));
    }
    return QString::fromUtf8(QJsonDocument(settings).toJson(QJsonDocument::Compact));
}

Result<std::optional<Inbox>> oneInbox(const Result<std::optional<SqlRow>> &row)
{
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<Inbox>();
    }
    return std::optional<Inbox>(inboxFrom(*row.value()));
}

Result<QList<Inbox>> inboxesFrom(const Result<SqlRows> &rows)
{
    if (!rows) {
        return rows.error();
    }
    QList<Inbox> inboxes;
    inboxes.reserve(rows->size());
    for (const SqlRow &row : rows.value()) {
        inboxes.append(inboxFrom(row));
    }
    return inboxes;
}

Status asStatus(const Result<qint64> &result)
{
    if (!result) {
        return result.error();
    }
    return Done{};
}

} // namespace

QString columns(const QString &alias, const QString &prefix)
{
    QStringList named = kColumns.split(u", "_s);
    for (QString &column : named) {
        column = alias + u'.' + column + u" AS "_s + prefix + column;
    }
    return named.join(u", "_s);
}

Inbox inboxFrom(const SqlRow &row, const QString &prefix)
{
    const auto col = [&prefix](const QString &name) {
        return prefix.isEmpty() ? name : prefix + name;
    };
    Inbox inbox;
    inbox.id = row.text(col(u"id"_s));
    inbox.teamId = row.text(col(u"team_id"_s));
    inbox.name = row.text(col(u"name"_s));
    inbox.channel = row.text(col(u"channel"_s));
    inbox.provider = row.text(col(u"provider"_s));
    inbox.address = row.text(col(u"address"_s));
    inbox.messagingServiceSid = row.text(col(u"messaging_service_sid"_s));
    inbox.accountSid = row.text(col(u"account_sid"_s));
    inbox.credentialsRef = row.text(col(u"credentials_ref"_s));
    inbox.ownerUserId = row.text(col(u"owner_user_id"_s));
    inbox.settings = row.json(col(u"settings"_s)).toObject();
    for (const QJsonValue &number : inbox.settings.take(kAgentNumbers).toArray()) {
        inbox.agentNumbers.append(number.toString());
    }
    inbox.createdAt = row.time(col(u"created_at"_s));
    inbox.updatedAt = row.time(col(u"updated_at"_s));
    return inbox;
}

Result<Page<Inbox>> list(DbConnection &db, const QString &teamId, const PageRequest &page)
{
    // One row more than asked tells whether another page follows.
    Result<SqlRows> rows = page.after
        ? db.query(u"SELECT "_s + kColumns
                       + u" FROM inboxes WHERE team_id = ? AND (created_at, id) > (?, ?) "
                         "ORDER BY created_at, id LIMIT ?"_s,
                   {teamId, page.after->key, page.after->id, page.limit + 1})
        : db.query(u"SELECT "_s + kColumns
                       + u" FROM inboxes WHERE team_id = ? ORDER BY created_at, id LIMIT ?"_s,
                   {teamId, page.limit + 1});
    if (!rows) {
        return rows.error();
    }
    Page<Inbox> result;
    for (const SqlRow &row : rows.value()) {
        if (result.items.size() == page.limit) {
            const Inbox &last = result.items.last();
            result.next = PageCursor{isoUtc(last.createdAt), last.id};
            break;
        }
        result.items.append(inboxFrom(row));
    }
    return result;
}

Result<std::optional<Inbox>> byId(DbConnection &db, const QString &teamId, const QString &id)
{
    return oneInbox(db.queryOne(
        u"SELECT "_s + kColumns + u" FROM inboxes WHERE id = ? AND team_id = ?"_s, {id, teamId}));
}

Result<QList<Inbox>> withCredentials(DbConnection &db, const QString &teamId, int limit)
{
    return inboxesFrom(db.query(
        u"SELECT "_s + kColumns
            + u" FROM inboxes WHERE team_id = ? AND account_sid IS NOT NULL AND account_sid <> '' "
              "AND credentials_ref IS NOT NULL ORDER BY created_at, id LIMIT ?"_s,
        {teamId, limit}));
}

Result<QList<Inbox>> webhookCandidates(DbConnection &db, const QString &messagingServiceSid,
                                       const QString &accountSid, const QStringList &addresses)
{
    constexpr int kMaxCandidates = 20;
    Result<SqlRows> rows = SqlRows();
    if (!messagingServiceSid.isEmpty()) {
        rows = db.query(u"SELECT "_s + kColumns
                            + u" FROM inboxes WHERE messaging_service_sid = ? "
                              "ORDER BY created_at, id LIMIT ?"_s,
                        {messagingServiceSid, kMaxCandidates});
        if (!rows) {
            return rows.error();
        }
    }
    QList<Inbox> inboxes;
    for (const SqlRow &row : rows.value()) {
        inboxes.append(inboxFrom(row));
    }
    // A number inside a Messaging Service may also be an inbox of its own: both are candidates.
    for (const QString &address : addresses) {
        if (address.isEmpty() || accountSid.isEmpty()) {
            continue;
        }
        Result<SqlRows> byAddress = db.query(
            u"SELECT "_s + kColumns
                + u" FROM inboxes WHERE address = ? AND account_sid = ? "
                  "ORDER BY created_at, id LIMIT ?"_s,
            {address, accountSid, kMaxCandidates});
        if (!byAddress) {
            return byAddress.error();
        }
        for (const SqlRow &row : byAddress.value()) {
            Inbox inbox = inboxFrom(row);
            const bool seen = std::any_of(inboxes.cbegin(), inboxes.cend(),
                                          [&](const Inbox &known) { return known.id == inbox.id; });
            if (!seen) {
                inboxes.append(std::move(inbox));
            }
        }
    }
    return inboxes;
}

Result<std::optional<Inbox>> byAddress(DbConnection &db, const QString &teamId,
                                       const QString &channel, const QString &address)
{
    return oneInbox(db.queryOne(
        u"SELECT "_s + kColumns
            + u" FROM inboxes WHERE team_id = ? AND channel = ? AND address = ?"_s,
        {teamId, channel, address}));
}

Result<std::optional<QString>> firstTeamId(DbConnection &db)
{
    Result<std::optional<SqlRow>> row =
        db.queryOne(u"SELECT id FROM teams ORDER BY created_at, id LIMIT 1"_s);
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<QString>();
    }
    return std::optional<QString>(row.value()->text(u"id"_s));
}

Status insert(DbConnection &db, const Inbox &inbox)
{
    return asStatus(db.exec(
        u"INSERT INTO inboxes (id, team_id, name, channel, provider, address, "
        "messaging_service_sid, account_sid, credentials_ref, owner_user_id, settings, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {inbox.id, inbox.teamId, inbox.name, inbox.channel, inbox.provider, inbox.address,
         nullable(inbox.messagingServiceSid), nullable(inbox.accountSid),
         nullable(inbox.credentialsRef), nullable(inbox.ownerUserId), settingsText(inbox),
         isoUtc(inbox.createdAt), isoUtc(inbox.updatedAt)}));
}

Status update(DbConnection &db, const Inbox &inbox)
{
    return asStatus(db.exec(
        u"UPDATE inboxes SET name = ?, address = ?, messaging_service_sid = ?, account_sid = ?, "
        "credentials_ref = ?, owner_user_id = ?, settings = ?, updated_at = ? "
        "WHERE id = ? AND team_id = ?"_s,
        {inbox.name, inbox.address, nullable(inbox.messagingServiceSid),
         nullable(inbox.accountSid), nullable(inbox.credentialsRef), nullable(inbox.ownerUserId),
         settingsText(inbox), isoUtc(inbox.updatedAt), inbox.id, inbox.teamId}));
}

Result<bool> remove(DbConnection &db, const QString &teamId, const QString &id)
{
    Result<qint64> deleted =
        db.exec(u"DELETE FROM inboxes WHERE id = ? AND team_id = ?"_s, {id, teamId});
    if (!deleted) {
        return deleted.error();
    }
    return deleted.value() > 0;
}

Result<QList<Inbox>> ownedBy(DbConnection &db, const QString &teamId, const QString &userId)
{
    return inboxesFrom(db.query(u"SELECT "_s + kColumns
                                        + u" FROM inboxes WHERE team_id = ? AND owner_user_id = ? "
                                          "ORDER BY created_at, id"_s,
                                    {teamId, userId}));
}

} // namespace InboxStore
