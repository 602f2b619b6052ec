// SPDX-License-Identifier: MIT
#pragma once
// Reading stored message media: to a team member (viewer role) through the API, or to whoever
// holds a signed link (MediaLinks checked it; the link is the authority). Only items the download
// job marked "stored" are served; anything else is 404, the same answer as a missing message.

#include "core/result.h"
#include "domain/media/medialinks.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>

class Database;
class MediaStore;

struct StoredMedia
{
    QByteArray bytes;
    QString contentType;
};

class MediaService : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Reply = std::function<void(Result<T>)>;

    // `store` must outlive the service; it is used on the database threads (it is thread-safe).
    MediaService(Database *db, const MediaStore *store, QObject *parent = nullptr);

    void open(const QString &actorId, const MediaRef &media, Reply<StoredMedia> done);
    void openLinked(const MediaRef &media, Reply<StoredMedia> done);
    // Checks that the caller may read `media` and that it is stored, so a link can be signed.
    void checkLinkable(const QString &actorId, const MediaRef &media, Reply<Done> done);

private:
    Database *m_db;
    const MediaStore *m_store;
};

// The Content-Type and Content-Disposition a stored item is served with: its type when it is a
// well-formed MIME type (else application/octet-stream), shown inline only for images (not SVG,
// which can carry script), audio, video and PDF; anything else is an attachment.
struct MediaHeaders
{
    QByteArray contentType;
    QByteArray disposition;
};
[[nodiscard]] MediaHeaders mediaHeaders(const QString &contentType);
