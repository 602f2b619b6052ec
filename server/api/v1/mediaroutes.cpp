// SPDX-License-Identifier: MIT
#include "mediaroutes.h"

#include "api/servercontext.h"
#include "domain/media/medialinks.h"
#include "domain/media/mediaservice.h"
#include "http/router.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxIndex = 99;

// The media a request's path names; nullopt for an index that is not 0..99 (answered 404).
std::optional<MediaRef> mediaRefOf(const HttpRequest &request)
{
    static const QRegularExpression digits(u"^\\d{1,2}$"_s);
    const QString index = request.param(u"index"_s);
    if (!digits.match(index).hasMatch() || index.toInt() > kMaxIndex) {
        return std::nullopt;
    }
    return MediaRef{request.param(u"teamId"_s), request.param(u"messageId"_s), index.toInt()};
}

ApiError noSuchMedia()
{
    return ApiError::notFound(u"No such media."_s);
}

// The stored bytes as a download; `cacheControl` differs between the API (the member's browser
// may keep it) and a signed link.
HttpResponse mediaResponse(const StoredMedia &media, const QByteArray &cacheControl)
{
    const MediaHeaders headers = mediaHeaders(media.contentType);
    HttpResponse response;
    response.status = 200;
    response.headers.append({"Content-Type"_ba, headers.contentType});
    response.headers.append({"Content-Disposition"_ba, headers.disposition});
    response.headers.append({"Cache-Control"_ba, cacheControl});
    // Nothing in a media file may run as a page of ours, even if a browser is asked to show it.
    response.headers.append({"Content-Security-Policy"_ba, "sandbox"_ba});
    response.body = media.bytes;
    return response;
}

} // namespace

void registerMediaRoutes(Router &router, const ServerContext &context)
{
    router.add("GET"_ba, u"/api/v1/teams/{teamId}/messages/{messageId}/media/{index}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        const std::optional<MediaRef> media = mediaRefOf(*request);
        if (!media) {
            return responder->fail(noSuchMedia());
        }
        context.media->open(principal->userId, *media, [responder](Result<StoredMedia> stored) {
            if (!stored) {
                return responder->fail(stored.error());
            }
            responder->send(mediaResponse(stored.value(), "private, max-age=86400"_ba));
        });
    });

    // A link anyone holding it may use until it expires: for an <img> that cannot send our
    // Bearer token, or to hand a file to someone outside. Body (optional): {expiresIn: seconds}.
    router.add("POST"_ba, u"/api/v1/teams/{teamId}/messages/{messageId}/media/{index}/link"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        int ttl = MediaLinks::DefaultTtlSeconds;
        if (!request->body.isEmpty()) {
            const std::optional<QJsonObject> body = jsonBody(responder);
            if (!body) {
                return;
            }
            for (auto it = body->begin(); it != body->end(); ++it) {
                if (it.key() != u"expiresIn"_s) {
                    return responder->fail(ApiError::validation({{it.key(), u"is not a known field"_s}}));
                }
            }
            if (body->contains(u"expiresIn"_s)) {
                const QJsonValue value = body->value(u"expiresIn"_s);
                const int seconds = value.toInt(0);
                if (!value.isDouble() || seconds < 1 || seconds > MediaLinks::MaxTtlSeconds) {
                    return responder->fail(ApiError::validation(
                        {{u"expiresIn"_s, u"must be a whole number of seconds from 1 to %1"_s.arg(
                                               MediaLinks::MaxTtlSeconds)}}));
                }
                ttl = seconds;
            }
        }
        const std::optional<MediaRef> media = mediaRefOf(*request);
        if (!media) {
            return responder->fail(noSuchMedia());
        }
        context.media->checkLinkable(principal->userId, *media, [context, responder, media = *media, ttl](Result<Done> checked) {
            if (!checked) {
                return responder->fail(checked.error());
            }
            const QDateTime now = QDateTime::currentDateTimeUtc();
            const QDateTime expires = QDateTime::fromSecsSinceEpoch(now.toSecsSinceEpoch() + ttl, Qt::UTC);
            const QString url = context.mediaLinks->publicUrl() + u"/media/"_s
                                + context.mediaLinks->token(media, expires);
            responder->send(HttpResponse::json(
                QJsonObject{{u"url"_s, url}, {u"expiresAt"_s, expires.toString(Qt::ISODate)}},
                201));
        });
    });

    // Whoever holds the link: Twilio fetching an outbound MediaUrl, a browser. An altered,
    // foreign or expired token is 403; a valid one for media no longer stored is 404.
    router.add("GET"_ba, u"/media/{token}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const std::optional<MediaRef> media = context.mediaLinks->verify(request->param(u"token"_s));
        if (!media) {
            return responder->fail(ApiError::forbidden(u"This media link is not valid or has expired."_s));
        }
        context.media->openLinked(*media, [responder](Result<StoredMedia> stored) {
            if (!stored) {
                return responder->fail(stored.error());
            }
            responder->send(mediaResponse(stored.value(), "private, max-age=300"_ba));
        });
    }, BodyKind::Any);
}
