// SPDX-License-Identifier: MIT
// The OpenAPI document (resources/openapi.json, as compiled into the library) against the routes
// the server registers: every /api/v1 route and operational route is documented, every documented
// operation exists, each answers some 2xx, 4xx answers are problem+json, and every $ref resolves
// inside the document. Handlers are registered, never invoked, so the context stays empty.

#include "api/compat/compatauthroutes.h"
#include "api/compat/compatgoogleroutes.h"
#include "api/compat/compatinboxroutes.h"
#include "api/compat/compatsettingsroutes.h"
#include "api/compat/compattwilioroutes.h"
#include "api/operationsroutes.h"
#include "api/servercontext.h"
#include "api/webhooks/twiliomessageroutes.h"
#include "api/webhooks/twiliovoiceroutes.h"
#include "api/v1/authroutes.h"
#include "api/v1/callroutes.h"
#include "api/v1/contactroutes.h"
#include "api/v1/googleauthroutes.h"
#include "api/v1/conversationroutes.h"
#include "api/v1/inboxroutes.h"
#include "api/v1/mediaroutes.h"
#include "api/v1/messageroutes.h"
#include "api/v1/noteroutes.h"
#include "api/v1/searchroutes.h"
#include "api/v1/settingsroutes.h"
#include "api/v1/teamroutes.h"
#include "http/router.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <functional>
#include <optional>

using namespace Qt::StringLiterals;

// Q_INIT_RESOURCE must be used outside any namespace.
static void initResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace {

using RegisterRoutes = void (*)(Router &, const ServerContext &);

// Every route module InboxServer::start() registers (the real-time endpoint's /socket.io/ is not
// part of the document and needs its thread, so it is left out).
const QList<QPair<QString, RegisterRoutes>> &routeModules()
{
    static const QList<QPair<QString, RegisterRoutes>> modules{
        {u"registerOperationsRoutes"_s, registerOperationsRoutes},
        {u"registerAuthRoutes"_s, registerAuthRoutes},
        {u"registerTeamRoutes"_s, registerTeamRoutes},
        {u"registerContactRoutes"_s, registerContactRoutes},
        {u"registerInboxRoutes"_s, registerInboxRoutes},
        {u"registerSettingsRoutes"_s, registerSettingsRoutes},
        {u"registerSearchRoutes"_s, registerSearchRoutes},
        {u"registerConversationRoutes"_s, registerConversationRoutes},
        {u"registerMessageRoutes"_s, registerMessageRoutes},
        {u"registerNoteRoutes"_s, registerNoteRoutes},
        {u"registerCompatAuthRoutes"_s, registerCompatAuthRoutes},
        {u"registerCompatInboxRoutes"_s, registerCompatInboxRoutes},
        {u"registerCompatSettingsRoutes"_s, registerCompatSettingsRoutes},
        {u"registerCompatTwilioRoutes"_s, registerCompatTwilioRoutes},
        {u"registerMediaRoutes"_s, registerMediaRoutes},
        {u"registerTwilioVoiceRoutes"_s, registerTwilioVoiceRoutes},
        {u"registerTwilioMessageRoutes"_s, registerTwilioMessageRoutes},
        {u"registerCallRoutes"_s, registerCallRoutes},
        {u"registerGoogleAuthRoutes"_s, registerGoogleAuthRoutes},
        {u"registerCompatGoogleRoutes"_s, registerCompatGoogleRoutes},
    };
    return modules;
}

const QStringList kHttpMethods{u"get"_s,     u"put"_s,  u"post"_s,  u"delete"_s,
                               u"options"_s, u"head"_s, u"patch"_s, u"trace"_s};
const QStringList kOperationalPaths{u"/healthz"_s, u"/readyz"_s, u"/metrics"_s};

// The operations anyone may call; every other one must require the bearer token.
const QSet<QString> kPublicOperations{
    u"GET /healthz"_s,           u"GET /readyz"_s,           u"GET /metrics"_s,
    u"GET /api/v1/openapi.json"_s, u"POST /api/v1/auth/signup"_s, u"POST /api/v1/auth/login"_s,
    u"POST /api/v1/auth/refresh"_s, u"POST /api/v1/auth/logout"_s,
    u"GET /api/v1/auth/google/start"_s, u"POST /api/v1/auth/google"_s};

bool isDocumentedSurface(const QString &path)
{
    return path.startsWith(u"/api/v1/"_s) || kOperationalPaths.contains(path);
}

QString listOf(const QSet<QString> &items)
{
    QStringList sorted(items.cbegin(), items.cend());
    sorted.sort();
    return u"\n    "_s + sorted.join(u"\n    "_s);
}

QString listOf(const QStringList &items)
{
    return listOf(QSet<QString>(items.cbegin(), items.cend()));
}

// A local JSON pointer ("#/components/schemas/User") into `root`; nullopt when it does not resolve.
std::optional<QJsonValue> resolvePointer(const QJsonObject &root, const QString &ref)
{
    if (ref == u"#"_s) {
        return QJsonValue(root);
    }
    if (!ref.startsWith(u"#/"_s)) {
        return std::nullopt;
    }
    QJsonValue at(root);
    const QStringList tokens = ref.mid(2).split(u'/');
    for (QString token : tokens) {
        token.replace(u"~1"_s, u"/"_s).replace(u"~0"_s, u"~"_s);
        if (at.isObject()) {
            const QJsonObject object = at.toObject();
            if (!object.contains(token)) {
                return std::nullopt;
            }
            at = object.value(token);
        } else if (at.isArray()) {
            bool ok = false;
            const qsizetype index = token.toLongLong(&ok);
            const QJsonArray array = at.toArray();
            if (!ok || index < 0 || index >= array.size()) {
                return std::nullopt;
            }
            at = array.at(index);
        } else {
            return std::nullopt;
        }
    }
    return at;
}

// Calls `visit(where, ref)` for every "$ref" in `value`.
void forEachRef(const QJsonValue &value, const QString &where,
                const std::function<void(const QString &, const QString &)> &visit)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (it.key() == u"$ref"_s) {
                visit(where, it.value().toString());
            } else {
                QString token = it.key();
                token.replace(u"~"_s, u"~0"_s).replace(u"/"_s, u"~1"_s);
                forEachRef(it.value(), where + u'/' + token, visit);
            }
        }
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            forEachRef(array.at(i), where + u'/' + QString::number(i), visit);
        }
    }
}

} // namespace

class TestOpenApi : public QObject
{
    Q_OBJECT

private:
    struct Operation
    {
        QString key; // "GET /api/v1/teams/{teamId}/members"
        QString path;
        QJsonObject object;
    };

    // A component reference followed (once is enough for responses and parameters).
    QJsonObject followed(const QJsonValue &value) const
    {
        const QJsonObject object = value.toObject();
        if (object.contains(u"$ref"_s)) {
            return resolvePointer(m_document, object.value(u"$ref"_s).toString())
                .value_or(QJsonValue())
                .toObject();
        }
        return object;
    }

    QJsonObject m_document;
    QList<Operation> m_operations;
    Router m_router;

private Q_SLOTS:
    void initTestCase()
    {
        initResources();
        QFile file(u":/openapi.json"_s);
        QVERIFY2(file.open(QIODevice::ReadOnly),
                 "resources/openapi.json is not compiled in (listed in resources/resources.qrc?)");
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QVERIFY(document.isObject());
        m_document = document.object();

        const QJsonObject paths = m_document.value(u"paths"_s).toObject();
        for (auto path = paths.constBegin(); path != paths.constEnd(); ++path) {
            const QJsonObject item = path.value().toObject();
            for (auto entry = item.constBegin(); entry != item.constEnd(); ++entry) {
                if (kHttpMethods.contains(entry.key())) {
                    m_operations.append({entry.key().toUpper() + u' ' + path.key(), path.key(),
                                         entry.value().toObject()});
                }
            }
        }
        QVERIFY(!m_operations.isEmpty());

        const ServerContext context; // never used: no handler runs here
        for (const auto &module : routeModules()) {
            module.second(m_router, context);
        }
    }

    void documentIsOpenApi31()
    {
        QVERIFY2(m_document.value(u"openapi"_s).toString().startsWith(u"3.1."_s),
                 qPrintable(m_document.value(u"openapi"_s).toString()));
        QCOMPARE(m_document.value(u"servers"_s).toArray(),
                 QJsonArray({QJsonObject{{u"url"_s, u"/"_s}}}));
        const QJsonObject bearer = m_document.value(u"components"_s)
                                       .toObject()
                                       .value(u"securitySchemes"_s)
                                       .toObject()
                                       .value(u"bearerAuth"_s)
                                       .toObject();
        QCOMPARE(bearer.value(u"type"_s).toString(), u"http"_s);
        QCOMPARE(bearer.value(u"scheme"_s).toString(), u"bearer"_s);
        QCOMPARE(bearer.value(u"bearerFormat"_s).toString(), u"JWT"_s);
    }

    // The test's module list is InboxServer's: a module added there must be added here too, or
    // its routes would escape the comparison below.
    void testRegistersEveryRouteModule()
    {
        const QString source = QFINDTESTDATA("../../server/app/inboxserver.cpp");
        QVERIFY2(!source.isEmpty(), "server/app/inboxserver.cpp not found next to the test's source");
        QFile file(source);
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QString text = QString::fromUtf8(file.readAll());
        static const QRegularExpression call(u"\\b(register\\w+Routes)\\s*\\(\\s*d->router"_s);
        QSet<QString> registered;
        for (auto it = call.globalMatch(text); it.hasNext();) {
            registered.insert(it.next().captured(1));
        }
        QVERIFY2(!registered.isEmpty(), "no register...Routes(d->router, ...) call found");
        QSet<QString> here;
        for (const auto &module : routeModules()) {
            here.insert(module.first);
        }
        const QSet<QString> missing = registered - here;
        QVERIFY2(missing.isEmpty(),
                 qPrintable(u"InboxServer registers route modules this test does not:"_s
                            + listOf(missing)));
    }

    void routesMatchDocument()
    {
        QSet<QString> registered;
        for (const auto &route : m_router.routes()) {
            if (isDocumentedSurface(route->pattern)) {
                registered.insert(QString::fromLatin1(route->method) + u' ' + route->pattern);
            }
        }
        QSet<QString> documented;
        for (const Operation &operation : std::as_const(m_operations)) {
            documented.insert(operation.key);
        }
        QVERIFY2(registered.size() > 40, "suspiciously few routes registered");

        const QSet<QString> undocumented = registered - documented;
        const QSet<QString> unknown = documented - registered;
        QString message;
        if (!undocumented.isEmpty()) {
            message += u"Registered but not in resources/openapi.json:"_s + listOf(undocumented)
                + u'\n';
        }
        if (!unknown.isEmpty()) {
            message += u"In resources/openapi.json but not registered:"_s + listOf(unknown);
        }
        QVERIFY2(message.isEmpty(), qPrintable(message));
        qInfo("%lld operations documented and registered", qlonglong(documented.size()));
    }

    void everyOperationAnswers2xx()
    {
        // A browser navigation (GET /api/v1/auth/google/start) succeeds with a redirect.
        static const QRegularExpression success(u"^(2([0-9]{2}|XX)|30[23])$"_s);
        QStringList without;
        for (const Operation &operation : std::as_const(m_operations)) {
            const QStringList codes = operation.object.value(u"responses"_s).toObject().keys();
            if (std::none_of(codes.cbegin(), codes.cend(), [](const QString &code) {
                    return success.match(code).hasMatch();
                })) {
                without.append(operation.key);
            }
        }
        QVERIFY2(without.isEmpty(), qPrintable(u"Operations without a 2xx response:"_s + listOf(without)));
    }

    void clientErrorsAreProblems()
    {
        QStringList wrong;
        for (const Operation &operation : std::as_const(m_operations)) {
            const QJsonObject responses = operation.object.value(u"responses"_s).toObject();
            for (auto it = responses.constBegin(); it != responses.constEnd(); ++it) {
                if (!it.key().startsWith(u'4')) {
                    continue;
                }
                const QJsonObject content = followed(it.value()).value(u"content"_s).toObject();
                const QString ref = content.value(u"application/problem+json"_s)
                                        .toObject()
                                        .value(u"schema"_s)
                                        .toObject()
                                        .value(u"$ref"_s)
                                        .toString();
                if (content.size() != 1 || ref != u"#/components/schemas/Problem"_s) {
                    wrong.append(operation.key + u' ' + it.key());
                }
            }
        }
        QVERIFY2(wrong.isEmpty(),
                 qPrintable(u"4xx responses that are not application/problem+json Problem:"_s
                            + listOf(wrong)));
    }

    void operationsAreDescribed()
    {
        QStringList problems;
        QSet<QString> ids;
        static const QRegularExpression variable(u"\\{([^}/]+)\\}"_s);
        for (const Operation &operation : std::as_const(m_operations)) {
            const QJsonObject &o = operation.object;
            const QString id = o.value(u"operationId"_s).toString();
            if (id.isEmpty()) {
                problems.append(operation.key + u": no operationId"_s);
            } else if (ids.contains(id)) {
                problems.append(operation.key + u": operationId "_s + id + u" used twice"_s);
            }
            ids.insert(id);
            if (o.value(u"summary"_s).toString().isEmpty()) {
                problems.append(operation.key + u": no summary"_s);
            }
            if (o.value(u"tags"_s).toArray().isEmpty()) {
                problems.append(operation.key + u": no tags"_s);
            }

            QSet<QString> declared;
            const QJsonArray parameters = o.value(u"parameters"_s).toArray();
            for (const QJsonValue &value : parameters) {
                const QJsonObject parameter = followed(value);
                if (parameter.value(u"in"_s).toString() == u"path"_s
                    && parameter.value(u"required"_s).toBool()) {
                    declared.insert(parameter.value(u"name"_s).toString());
                }
            }
            QSet<QString> inPath;
            for (auto it = variable.globalMatch(operation.path); it.hasNext();) {
                inPath.insert(it.next().captured(1));
            }
            if (declared != inPath) {
                problems.append(operation.key + u": path parameters declared "_s
                                + QStringList(declared.cbegin(), declared.cend()).join(u','));
            }

            if (!o.contains(u"security"_s)) {
                problems.append(operation.key + u": no security requirement"_s);
            } else {
                const QJsonArray security = o.value(u"security"_s).toArray();
                const bool bearer = security.size() == 1
                    && security.first().toObject().contains(u"bearerAuth"_s);
                // Twilio's webhooks carry its signature instead of a token.
                const bool signedByTwilio = operation.path.startsWith(u"/api/v1/webhooks/twilio/"_s)
                    && security.size() == 1
                    && security.first().toObject().contains(u"twilioSignature"_s);
                const bool isPublic = kPublicOperations.contains(operation.key);
                if (isPublic ? !security.isEmpty() : !(bearer || signedByTwilio)) {
                    problems.append(operation.key
                                    + (isPublic ? u": public, yet security is not []"_s
                                                : u": needs security [{bearerAuth: []}]"_s));
                }
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(u"Incomplete operations:"_s + listOf(problems)));
    }

    void everyRefResolves()
    {
        QStringList broken;
        forEachRef(m_document, u"#"_s, [&](const QString &where, const QString &ref) {
            if (!resolvePointer(m_document, ref)) {
                broken.append(where + u" → "_s + ref);
            }
        });
        QVERIFY2(broken.isEmpty(), qPrintable(u"$refs that do not resolve in the document:"_s
                                              + listOf(broken)));
    }

    // The checks above must be able to fail: a made-up route and a broken $ref are caught.
    void checksNoticeDifferences()
    {
        QVERIFY(!resolvePointer(m_document, u"#/components/schemas/NoSuchSchema"_s));
        QVERIFY(!resolvePointer(m_document, u"https://example.com/schema.json"_s));
        QVERIFY(resolvePointer(m_document, u"#/components/schemas/Problem"_s));
        QVERIFY(resolvePointer(m_document, u"#/paths/~1healthz/get"_s));
        QVERIFY(isDocumentedSurface(u"/api/v1/teams"_s));
        QVERIFY(!isDocumentedSurface(u"/api/inbox/threads"_s));
        QVERIFY(!isDocumentedSurface(u"/socket.io/"_s));
        QVERIFY(!isDocumentedSurface(u"/"_s));
    }
};

QTEST_GUILESS_MAIN(TestOpenApi)
#include "tst_openapi.moc"
