// SPDX-License-Identifier: MIT
#include "realtimeservice.h"

#include "auth/recentclients.h"
#include "auth/tokenservice.h"
#include "core/crypto.h"
#include "core/logging.h"
#include "core/metrics.h"
#include "domain/messages/messagetypes.h"
#include "storage/accountstore.h"
#include "storage/database.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace {

const QString kNamespace = u"/"_s;
constexpr int kBatch = 500;
constexpr qint64 kGapWaitMs = 2000; // how long a missing event id may hold delivery back
constexpr int kOtherProcessPollMs = 1000;

QString teamRoom(const QString &teamId) { return u"team:"_s + teamId; }
QString userRoom(const QString &userId) { return u"user:"_s + userId; }
QString compatTeamRoom(const QString &teamId) { return u"compat:team:"_s + teamId; }
QString compatUserRoom(const QString &userId) { return u"compat:user:"_s + userId; }
QString conversationRoom(const QString &id) { return u"conversation:"_s + id; }

QByteArray bearerOf(const QByteArray &authorization)
{
    const QByteArray value = authorization.trimmed();
    if (value.size() > 7 && value.first(7).compare("bearer ", Qt::CaseInsensitive) == 0) {
        return value.mid(7).trimmed();
    }
    return {};
}

// A private note's author: notes carry {author:{id}}, a deletion {authorId}.
QString authorOf(const QJsonObject &payload)
{
    const QString nested = payload.value(u"author"_s).toObject().value(u"id"_s).toString();
    return nested.isEmpty() ? payload.value(u"authorId"_s).toString() : nested;
}

// The events the original web frontend listens for, and what it reads of them.
std::optional<QJsonObject> compatPayload(const StoredEvent &event)
{
    if (event.type == u"message.new"_s) {
        return compatMessageFromJson(event.payload);
    }
    if (event.type == u"note_added"_s || event.type == u"note_updated"_s) {
        return event.payload;
    }
    return std::nullopt;
}

} // namespace

// Who a socket is. `compat`: a token-less socket recognised from the HTTP calls of its client.
struct RealtimeService::Identity
{
    QString userId;
    bool compat = false;
    QStringList teamIds;
    qint64 expiresAt = 0; // seconds
    QString pid;
};

// What a dropped socket had, kept for the recovery window.
struct RealtimeService::Parked
{
    QString socketId;
    Identity identity;
    QSet<QString> rooms;
    qint64 offset = 0;
    qint64 expiresAtMs = 0;
};

Q_DECLARE_METATYPE(std::shared_ptr<RealtimeService::Identity>)

RealtimeService::RealtimeService(SocketIoServer *io, Database *db, const TokenService *tokens,
                                 RecentClients *recent, RealtimeSettings settings, QObject *parent)
    : QObject(parent), m_io(io), m_db(db), m_tokens(tokens), m_recent(recent), m_settings(settings)
{
    m_io->addNamespace(kNamespace, [this](const SioSocket &socket, const QJsonObject &auth,
                                          const Handshake &handshake, SocketIoServer::Decide decide) {
        onConnect(socket, auth, handshake, std::move(decide));
    });
    connect(m_io, &SocketIoServer::socketConnected, this, &RealtimeService::admit);
    connect(m_io, &SocketIoServer::socketDisconnected, this, &RealtimeService::onDisconnected);

    const auto identityOf = [](const SioSocket &socket) {
        return socket.data.value<std::shared_ptr<Identity>>();
    };
    const auto reply = [](const SocketIoServer::Ack &ack, const QJsonObject &answer) {
        if (ack) {
            ack({answer}, {});
        }
    };

    // Join a conversation's room: only a member of the conversation's team, on the full API.
    m_io->on(kNamespace, u"conversation.join"_s, [this, identityOf, reply](SioSocket &socket, const QJsonArray &args,
                                                                             const QList<QByteArray> &, SocketIoServer::Ack ack) {
        const auto identity = identityOf(socket);
        const QString conversationId = args.first().toObject().value(u"conversationId"_s).toString();
        if (!identity || identity->compat || conversationId.isEmpty() || conversationId.size() > 64) {
            return reply(ack, {{u"ok"_s, false}, {u"error"_s, u"not allowed"_s}});
        }
        const QStringList teams = identity->teamIds;
        const QString socketId = socket.id;
        m_db->run<QString>(
            DbAccess::Read,
            [conversationId, teams](DbConnection &db) -> Result<QString> {
                Result<std::optional<SqlRow>> row = db.queryOne(
                    u"SELECT team_id FROM conversations WHERE id = ?"_s, {conversationId});
                if (!row) {
                    return row.error();
                }
                if (!row.value() || !teams.contains(row.value()->text(u"team_id"_s))) {
                    return QString();
                }
                return row.value()->text(u"team_id"_s);
            },
            this, [this, socketId, conversationId, ack, reply](Result<QString> teamId) {
                if (!teamId.ok() || teamId->isEmpty()) {
                    return reply(ack, {{u"ok"_s, false}, {u"error"_s, u"not found"_s}});
                }
                m_conversationTeams.insert(conversationId, teamId.value());
                m_io->join(socketId, conversationRoom(conversationId));
                reply(ack, {{u"ok"_s, true}});
            });
    });
    m_io->on(kNamespace, u"conversation.leave"_s, [this, reply](SioSocket &socket, const QJsonArray &args,
                                                                  const QList<QByteArray> &, SocketIoServer::Ack ack) {
        const QString conversationId = args.first().toObject().value(u"conversationId"_s).toString();
        m_io->leave(socket.id, conversationRoom(conversationId));
        reply(ack, {{u"ok"_s, true}});
    });
    // Typing: relayed to the rest of the conversation's team (the conversation joined first,
    // which proved the caller may see it).
    m_io->on(kNamespace, u"typing"_s, [this, identityOf, reply](SioSocket &socket, const QJsonArray &args,
                                                                 const QList<QByteArray> &, SocketIoServer::Ack ack) {
        const auto identity = identityOf(socket);
        const QJsonObject body = args.first().toObject();
        const QString conversationId = body.value(u"conversationId"_s).toString();
        if (!identity || identity->compat || !socket.rooms.contains(conversationRoom(conversationId))) {
            return reply(ack, {{u"ok"_s, false}, {u"error"_s, u"join the conversation first"_s}});
        }
        m_io->emitToRoom(kNamespace, teamRoom(m_conversationTeams.value(conversationId)), u"typing"_s,
                         {QJsonObject{{u"conversationId"_s, conversationId},
                                      {u"userId"_s, identity->userId},
                                      {u"typing"_s, body.value(u"typing"_s).toBool(true)}}},
                         socket.id);
        reply(ack, {{u"ok"_s, true}});
    });
}

void RealtimeService::start()
{
    m_db->run<qint64>(
        DbAccess::Read,
        [](DbConnection &db) -> Result<qint64> {
            Result<std::optional<SqlRow>> row = db.queryOne(u"SELECT COALESCE(MAX(id), 0) AS last FROM events"_s);
            if (!row) {
                return row.error();
            }
            return row.value()->integer(u"last"_s);
        },
        this, [this](Result<qint64> last) {
            m_delivered = last.ok() ? last.value() : 0;
            poll();
        });
    if (m_db->dialect() == Dialect::Sqlite) {
        // Another process on the same SQLite file (an `inbox-central worker`) cannot notify us:
        // look for its events once a second. PostgreSQL instances hear each other by NOTIFY.
        auto *timer = new QTimer(this);
        connect(timer, &QTimer::timeout, this, [this] {
            m_db->run<qint64>(
                DbAccess::Read,
                [](DbConnection &db) -> Result<qint64> {
                    Result<std::optional<SqlRow>> row =
                        db.queryOne(u"SELECT COALESCE(MAX(id), 0) AS last FROM events"_s);
                    if (!row) {
                        return row.error();
                    }
                    return row.value()->integer(u"last"_s);
                },
                this, [this](Result<qint64> last) {
                    if (last && last.value() > m_committed) {
                        m_db->noteCommitElsewhere(); // cached reads (api/readcache.h) are stale
                        notifyCommitted(last.value());
                    }
                });
        });
        timer->start(kOtherProcessPollMs);
    }
}

void RealtimeService::notifyCommitted(qint64 upToId)
{
    QMetaObject::invokeMethod(this, [this, upToId] {
        m_committed = std::max(m_committed, upToId);
        poll();
    });
}

void RealtimeService::poll()
{
    if (m_polling || m_delivered < 0 || m_committed <= m_delivered) {
        return;
    }
    m_polling = true;
    const qint64 after = m_delivered;
    m_db->run<QList<StoredEvent>>(
        DbAccess::Read, [after](DbConnection &db) { return EventStore::after(db, after, kBatch); },
        this, [this](Result<QList<StoredEvent>> events) {
            m_polling = false;
            if (!events) {
                QTimer::singleShot(500, this, &RealtimeService::poll);
                return;
            }
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            for (const StoredEvent &event : std::as_const(events.value())) {
                if (event.id > m_delivered + 1) {
                    // An id below this one is not visible yet: on PostgreSQL transactions may
                    // commit out of order. Wait for it a little (order matters), then skip it
                    // (a rolled-back transaction burns its id for good).
                    const qint64 missing = m_delivered + 1;
                    const qint64 seen = m_gaps.value(missing, now);
                    m_gaps.insert(missing, seen);
                    if (now - seen < kGapWaitMs) {
                        QTimer::singleShot(50, this, &RealtimeService::poll);
                        return;
                    }
                    m_gaps.remove(missing);
                }
                m_delivered = event.id;
                deliver(event);
            }
            if (events->size() == kBatch || m_committed > m_delivered) {
                poll();
            }
        });
}

void RealtimeService::deliver(const StoredEvent &event)
{
    Metrics::instance().countEvent("realtime_dispatched");
    const bool isPrivate = event.payload.value(u"isPrivate"_s).toBool();
    if (isPrivate) {
        // A private note is its author's alone.
        const QString authorId = authorOf(event.payload);
        if (authorId.isEmpty()) {
            return;
        }
        emitEvent(userRoom(authorId), event.type, event.payload, event.id);
        if (const auto compat = compatPayload(event)) {
            emitEvent(compatUserRoom(authorId), event.type, *compat, event.id);
        }
        return;
    }
    if (event.teamId.isEmpty()) {
        // A user's own change (e.g. their settings): theirs alone.
        if (const QString userId = event.payload.value(u"userId"_s).toString(); !userId.isEmpty()) {
            emitEvent(userRoom(userId), event.type, event.payload, event.id);
        }
        return;
    }
    emitEvent(teamRoom(event.teamId), event.type, event.payload, event.id);
    if (const auto compat = compatPayload(event)) {
        emitEvent(compatTeamRoom(event.teamId), event.type, *compat, event.id);
    }
}

void RealtimeService::emitEvent(const QString &room, const QString &name, const QJsonObject &payload,
                                qint64 offset)
{
    QJsonArray args{payload};
    if (m_settings.recoveryWindowMs > 0) {
        args.append(QString::number(offset)); // the client's recovery offset
    }
    m_io->emitToRoom(kNamespace, room, name, args);
}

void RealtimeService::onConnect(const SioSocket &socket, const QJsonObject &auth,
                                const Handshake &handshake, SocketIoServer::Decide decide)
{
    Q_UNUSED(socket)
    QByteArray token = auth.value(u"token"_s).toString().toUtf8();
    if (token.isEmpty()) {
        token = handshake.query.queryItemValue(u"token"_s, QUrl::FullyDecoded).toUtf8();
    }
    if (token.isEmpty()) {
        token = bearerOf(handshake.authorization);
    }
    const qint64 nowSecs = QDateTime::currentSecsSinceEpoch();
    auto identity = std::make_shared<Identity>();
    if (!token.isEmpty()) {
        Result<Principal> principal = m_tokens->verifyAccessToken(token);
        if (!principal) {
            return decide(ConnectDecision{false, {}, u"Invalid token: "_s + principal.error().detail,
                                          QJsonObject{{u"code"_s, u"invalid_token"_s}}, {}, {}});
        }
        identity->userId = principal->userId;
        identity->expiresAt = principal->expiresAt;
    } else if (const auto remembered = m_recent->lookup(
                   {handshake.remoteAddress, handshake.origin, handshake.userAgent}, nowSecs)) {
        identity->userId = remembered->userId;
        identity->expiresAt = remembered->expiresAt;
        identity->compat = true;
    } else {
        // Never proved who it is: connected, but in no room, so it receives nothing.
        return decide(ConnectDecision{true, QVariant::fromValue(identity), {}, QJsonValue::Undefined, {}, {}});
    }

    // Recovery: a client back within the window with its pid and last offset.
    std::shared_ptr<Parked> parked;
    const QString pid = auth.value(u"pid"_s).toString();
    if (m_settings.recoveryWindowMs > 0 && !pid.isEmpty() && auth.value(u"offset"_s).isString()) {
        const auto it = m_parked.find(pid);
        if (it != m_parked.end() && (*it)->identity.userId == identity->userId
            && (*it)->identity.compat == identity->compat
            && (*it)->expiresAtMs > QDateTime::currentMSecsSinceEpoch()) {
            parked = *it;
            bool ok = false;
            const qint64 offset = auth.value(u"offset"_s).toString().toLongLong(&ok);
            parked->offset = ok ? std::min(offset, parked->offset) : parked->offset;
            m_parked.erase(it);
        }
    }

    const QString userId = identity->userId;
    m_db->run<QList<Membership>>(
        DbAccess::Read,
        [userId](DbConnection &db) -> Result<QList<Membership>> {
            Result<std::optional<User>> user = AccountStore::userById(db, userId);
            if (!user) {
                return user.error();
            }
            if (!user.value() || user.value()->disabled) {
                return ApiError::unauthorized(u"the account no longer exists or is disabled"_s);
            }
            return user.value()->teams;
        },
        this, [this, identity, parked, decide](Result<QList<Membership>> teams) {
            if (!teams) {
                return decide(ConnectDecision{false, {}, u"Not authorized: "_s + teams.error().detail,
                                              QJsonObject{{u"code"_s, u"unauthorized"_s}}, {}, {}});
            }
            for (const Membership &membership : teams.value()) {
                identity->teamIds.append(membership.teamId);
            }
            ConnectDecision decision{true, QVariant::fromValue(identity), {}, QJsonValue::Undefined, {}, {}};
            if (m_settings.recoveryWindowMs > 0) {
                identity->pid = parked ? parked->identity.pid
                                       : QString::fromLatin1(Crypto::base64UrlEncode(Crypto::randomBytes(12)));
                decision.pid = identity->pid;
                if (parked) {
                    decision.restoreSid = parked->socketId;
                    m_recovering.insert(parked->socketId, parked);
                }
            }
            decide(decision);
        });
}

void RealtimeService::admit(const QString &socketId)
{
    SioSocket *socket = m_io->socket(socketId);
    if (!socket) {
        return;
    }
    const auto identity = socket->data.value<std::shared_ptr<Identity>>();
    if (!identity || identity->userId.isEmpty()) {
        return; // anonymous: no rooms
    }
    if (identity->compat) {
        m_io->join(socketId, compatUserRoom(identity->userId));
        for (const QString &teamId : std::as_const(identity->teamIds)) {
            m_io->join(socketId, compatTeamRoom(teamId));
        }
    } else {
        m_io->join(socketId, userRoom(identity->userId));
        for (const QString &teamId : std::as_const(identity->teamIds)) {
            m_io->join(socketId, teamRoom(teamId));
        }
    }
    // The token's end is the socket's end.
    const qint64 msLeft = (identity->expiresAt - QDateTime::currentSecsSinceEpoch()) * 1000;
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, socketId] {
        qCInfo(lcRealtime) << "token expired; disconnecting a socket";
        m_io->disconnectSocket(socketId);
    });
    timer->start(int(std::clamp<qint64>(msLeft, 0, std::numeric_limits<int>::max())));
    m_expiry.insert(socketId, timer);

    // A recovered socket gets its rooms back and what it missed, from the outbox.
    if (const std::shared_ptr<Parked> parked = m_recovering.take(socketId)) {
        for (const QString &room : std::as_const(parked->rooms)) {
            if (room.startsWith(u"conversation:"_s)) {
                m_io->join(socketId, room);
            }
        }
        const qint64 from = parked->offset;
        const qint64 upTo = m_delivered;
        const QStringList teams = identity->teamIds;
        const QString userId = identity->userId;
        const bool compat = identity->compat;
        m_db->run<QList<StoredEvent>>(
            DbAccess::Read, [from](DbConnection &db) { return EventStore::after(db, from, 10000); }, this,
            [this, socketId, upTo, teams, userId, compat](Result<QList<StoredEvent>> missed) {
                if (!missed) {
                    return;
                }
                for (const StoredEvent &event : missed.value()) {
                    if (event.id > upTo) {
                        break; // the dispatcher sends the rest to its rooms
                    }
                    const bool isPrivate = event.payload.value(u"isPrivate"_s).toBool();
                    const QString authorId = authorOf(event.payload);
                    if (isPrivate ? authorId != userId : !teams.contains(event.teamId)) {
                        continue;
                    }
                    const std::optional<QJsonObject> payload = compat ? compatPayload(event) : event.payload;
                    if (payload) {
                        m_io->emitTo(socketId, event.type, {*payload, QString::number(event.id)});
                    }
                }
            });
    }
}

void RealtimeService::onDisconnected(const QString &socketId, const QString &reason)
{
    if (QTimer *timer = m_expiry.take(socketId)) {
        timer->deleteLater();
    }
    m_recovering.remove(socketId);
    if (m_settings.recoveryWindowMs <= 0 || reason.contains(u"namespace disconnect"_s)) {
        return;
    }
    const SioSocket *socket = m_io->socket(socketId);
    const auto identity = socket ? socket->data.value<std::shared_ptr<Identity>>() : nullptr;
    if (!identity || identity->pid.isEmpty()) {
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (auto it = m_parked.begin(); it != m_parked.end();) {
        it = (*it)->expiresAtMs <= now ? m_parked.erase(it) : std::next(it);
    }
    auto parked = std::make_shared<Parked>();
    parked->socketId = socketId;
    parked->identity = *identity;
    parked->rooms = socket->rooms;
    parked->offset = m_delivered;
    parked->expiresAtMs = now + m_settings.recoveryWindowMs;
    m_parked.insert(identity->pid, parked);
}
