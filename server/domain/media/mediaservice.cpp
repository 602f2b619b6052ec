// SPDX-License-Identifier: MIT
#include "mediaservice.h"

#include "domain/teamaccess.h"
#include "storage/database.h"
#include "storage/mediastore.h"
#include "storage/messagestore.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

ApiError noSuchMedia()
{
    return ApiError::notFound(u"No such media."_s);
}

// The stored item `media` names (its message read in `media.teamId`), or 404.
Result<MediaItem> storedItem(DbConnection &db, const MediaRef &media)
{
    Result<std::optional<Message>> message =
        MessageStore::byId(db, media.teamId, media.messageId);
    if (!message) {
        return message.error();
    }
    if (!message.value() || media.index < 0 || media.index >= message.value()->media.size()) {
        return noSuchMedia();
    }
    const MediaItem &item = message.value()->media.at(media.index);
    if (item.status != u"stored"_s) {
        return noSuchMedia();
    }
    return item;
}

Result<StoredMedia> readStored(DbConnection &db, const MediaStore *store, const MediaRef &media)
{
    Result<MediaItem> item = storedItem(db, media);
    if (!item) {
        return item.error();
    }
    Result<std::optional<QByteArray>> bytes = store->get(media.teamId, media.messageId, media.index);
    if (!bytes) {
        return bytes.error();
    }
    if (!bytes.value()) {
        // The row says stored, the disk disagrees (another instance's DATA_DIR, a restore).
        return noSuchMedia();
    }
    return StoredMedia{std::move(*bytes.value()), item->contentType};
}

} // namespace

MediaService::MediaService(Database *db, const MediaStore *store, QObject *parent)
    : QObject(parent), m_db(db), m_store(store)
{
}

void MediaService::open(const QString &actorId, const MediaRef &media, Reply<StoredMedia> done)
{
    const MediaStore *store = m_store;
    m_db->run<StoredMedia>(
        DbAccess::Read,
        [actorId, media, store](DbConnection &db) -> Result<StoredMedia> {
            if (Result<Role> role = requireRole(db, media.teamId, actorId, Role::Viewer); !role) {
                return role.error();
            }
            return readStored(db, store, media);
        },
        this, done);
}

void MediaService::openLinked(const MediaRef &media, Reply<StoredMedia> done)
{
    const MediaStore *store = m_store;
    m_db->run<StoredMedia>(
        DbAccess::Read,
        [media, store](DbConnection &db) -> Result<StoredMedia> {
            return readStored(db, store, media);
        },
        this, done);
}

void MediaService::checkLinkable(const QString &actorId, const MediaRef &media, Reply<Done> done)
{
    m_db->run<Done>(
        DbAccess::Read,
        [actorId, media](DbConnection &db) -> Result<Done> {
            if (Result<Role> role = requireRole(db, media.teamId, actorId, Role::Viewer); !role) {
                return role.error();
            }
            if (Result<MediaItem> item = storedItem(db, media); !item) {
                return item.error();
            }
            return Done{};
        },
        this, done);
}

MediaHeaders mediaHeaders(const QString &contentType)
{
    static const QRegularExpression mime(
        u"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$"_s);
    // Parameters (charset=...) are dropped: the bytes are served as they came.
    const QString type = contentType.section(u';', 0, 0).trimmed().toLower();
    if (!mime.match(type).hasMatch()) {
        return {"application/octet-stream"_ba, "attachment"_ba};
    }
    const bool inlineSafe = (type.startsWith(u"image/"_s) && type != u"image/svg+xml"_s)
                            || type.startsWith(u"audio/"_s) || type.startsWith(u"video/"_s)
                            || type == u"application/pdf"_s;
    return {type.toLatin1(), inlineSafe ? "inline"_ba : "attachment"_ba};
}
