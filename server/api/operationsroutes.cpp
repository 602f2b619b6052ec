// SPDX-License-Identifier: MIT
#include "operationsroutes.h"

#include "api/servercontext.h"
#include "core/logging.h"
#include "core/metrics.h"
#include "http/router.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/sqlrow.h"

#include <QFile>
#include <QJsonObject>

using namespace Qt::StringLiterals;

// inboxcore is a static library: its compiled qrc registers only once something calls its
// initialiser (Migrator does too, but this route must not depend on a migration having run).
// Q_INIT_RESOURCE must be used outside any namespace.
static void initOpenApiResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace {

struct Readiness
{
    bool databaseOk = false;
    int pendingMigrations = 0;
};

void checkDatabase(const ServerContext &context, std::function<void(Result<Readiness>)> done)
{
    const Dialect dialect = context.db->dialect();
    context.db->run<Readiness>(
        DbAccess::Read,
        [dialect](DbConnection &db) -> Result<Readiness> {
            Result<std::optional<SqlRow>> ping = db.queryOne(u"SELECT 1 AS ok"_s);
            if (!ping) {
                return ping.error();
            }
            Migrator migrator(dialect);
            Result<int> pending = migrator.pending(db.database());
            if (!pending) {
                return pending.error();
            }
            return Readiness{true, pending.value()};
        },
        context.db, std::move(done));
}

// resources/openapi.json, read once on first use and kept; empty when it cannot be read.
const QByteArray &openApiDocument()
{
    static const QByteArray document = [] {
        initOpenApiResources();
        QFile file(u":/openapi.json"_s);
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcHttp) << "cannot read :/openapi.json:" << file.errorString();
            return QByteArray();
        }
        return file.readAll();
    }();
    return document;
}

} // namespace

void registerOperationsRoutes(Router &router, const ServerContext &context)
{
    // Liveness only: answered on the HTTP thread without touching the database.
    static const QByteArray healthy = R"({"status":"ok"})"_ba;
    router.add("GET"_ba, u"/healthz"_s, [](const RequestPtr &, const ResponderPtr &responder) {
        responder->send(HttpResponse::rawJson(healthy));
    });

    router.add("GET"_ba, u"/readyz"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        if (context.ready && !*context.ready) {
            return responder->fail(ApiError::unavailable(u"The server is shutting down."_s));
        }
        checkDatabase(context, [responder](Result<Readiness> readiness) {
            if (!readiness) {
                return responder->fail(ApiError::unavailable(u"The database is not reachable."_s));
            }
            if (readiness->pendingMigrations > 0) {
                return responder->fail(ApiError::unavailable(
                    u"%1 database migration(s) are not applied; run `inbox-central migrate`."_s.arg(
                        readiness->pendingMigrations)));
            }
            responder->send(HttpResponse::json(QJsonObject{{u"status"_s, u"ready"_s},
                                                           {u"database"_s, u"ok"_s},
                                                           {u"migrations"_s, u"applied"_s}}));
        });
    });

    router.add("GET"_ba, u"/metrics"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        if (context.config->metricsLoopbackOnly && !request->remoteAddress.isLoopback()) {
            return responder->fail(ApiError::forbidden(u"Metrics are served to loopback clients only."_s));
        }
        responder->send(HttpResponse::text(Metrics::instance().render(), 200,
                                           "text/plain; version=0.0.4; charset=utf-8"_ba));
    });

    // The API's own description: public, and cacheable since it changes only with the binary.
    router.add("GET"_ba, u"/api/v1/openapi.json"_s, [](const RequestPtr &, const ResponderPtr &responder) {
        const QByteArray &document = openApiDocument();
        if (document.isEmpty()) {
            return responder->fail(ApiError::internal(u"The OpenAPI document is missing from this build."_s));
        }
        HttpResponse response = HttpResponse::rawJson(document);
        response.setHeader("Cache-Control"_ba, "public, max-age=300"_ba);
        responder->send(std::move(response));
    });

    // The original's status route: {status, database, timestamp}, 503 when the database is down.
    router.add("GET"_ba, u"/"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        checkDatabase(context, [responder](Result<Readiness> readiness) {
            const bool ok = readiness.ok() && readiness->databaseOk;
            responder->send(HttpResponse::json(
                QJsonObject{{u"status"_s, ok ? u"ok"_s : u"error"_s},
                            {u"database"_s, ok ? u"connected"_s : u"disconnected"_s},
                            {u"timestamp"_s, nowIso()}},
                ok ? 200 : 503));
        }); }, BodyKind::Json, Surface::CompatError);
}
