// SPDX-License-Identifier: MIT
#include "searchroutes.h"

#include "api/pagination.h"
#include "api/servercontext.h"
#include "api/v1/accountjson.h"
#include "domain/search/searchquery.h"
#include "domain/search/searchservice.h"
#include "http/router.h"

#include "core/jsonvalues.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

QJsonObject hitJson(const SearchHit &hit)
{
    return QJsonObject{
        {u"kind"_s, hit.kind},
        {u"id"_s, hit.id},
        {u"score"_s, hit.score},
        {u"snippet"_s, hit.snippet},
        {u"contact"_s, QJsonObject{{u"id"_s, hit.contactId},
                                   {u"name"_s, jsonTextOrNull(hit.contactName)},
                                   {u"phone"_s, jsonTextOrNull(hit.contactPhone)}}},
        {u"conversationId"_s, jsonTextOrNull(hit.conversationId)},
        {u"createdAt"_s, isoTimeOrNull(hit.createdAt)},
    };
}

} // namespace

void registerSearchRoutes(Router &router, const ServerContext &context)
{
    router.add("GET"_ba, u"/api/v1/teams/{teamId}/search"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        Result<PageRequest> page =
            parsePageRequest(*request, SearchService::DefaultLimit, SearchService::MaxLimit);
        QList<FieldError> errors = page ? QList<FieldError>() : page.error().fieldErrors;
        // Form encoding (URLSearchParams, axios) sends a space as '+'; a plus the user typed
        // arrives as %2B. So q is decoded by hand rather than with queryValue(), which keeps '+'.
        QByteArray raw = request->query.queryItemValue(u"q"_s, QUrl::FullyEncoded).toLatin1();
        raw.replace('+', ' ');
        const QString q = QUrl::fromPercentEncoding(raw).trimmed();
        if (q.isEmpty()) {
            errors.prepend({u"q"_s, u"is required"_s});
        } else if (q.size() > SearchQuery::MaxLength) {
            errors.prepend({u"q"_s, u"must be at most %1 characters"_s.arg(SearchQuery::MaxLength)});
        }
        if (!errors.isEmpty()) {
            return responder->fail(ApiError::validation(errors));
        }
        const auto ticket = answerFromCache(context, *principal, responder);
        if (!ticket) {
            return;
        }
        context.search->search(principal->userId, request->param(u"teamId"_s), q, page.value(),
                               [context, ticket = *ticket, responder](Result<Page<SearchHit>> hits) {
                                   if (!hits) {
                                       return responder->fail(hits.error());
                                   }
                                   QJsonArray data;
                                   for (const SearchHit &hit : std::as_const(hits->items)) {
                                       data.append(hitJson(hit));
                                   }
                                   keepAndSend(context, ticket, responder,
                                               QJsonDocument(pageJson(data, hits->next))
                                                       .toJson(QJsonDocument::Compact));
                               });
    });
}
