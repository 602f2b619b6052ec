// SPDX-License-Identifier: MIT
#pragma once
// Method + path-pattern routing ("/api/v1/teams/{teamId}/members"), with the facts the server
// needs for 404 vs 405 and for the body checks. Patterns are matched segment by segment.

#include "http/httprequest.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

class Responder;
using ResponderPtr = std::shared_ptr<Responder>;

// What a route accepts as a request body; anything else is answered 415 before the handler runs.
enum class BodyKind { Json, Form, Any };

// Which error dialect a route speaks: RFC 9457 problems, or the original backend's shapes.
enum class Surface { Problem, CompatMessage, CompatError };

using Handler = std::function<void(const RequestPtr &request, const ResponderPtr &responder)>;

struct Route
{
    QByteArray method;
    QString pattern;
    QStringList segments; // "{name}" for a variable segment
    Handler handler;
    BodyKind body = BodyKind::Json;
    Surface surface = Surface::Problem;
};

class Router
{
public:
    struct Match
    {
        const Route *route = nullptr;
        QHash<QString, QString> params;
        QByteArray allowedMethods; // when the path matched but not the method: "GET, POST"
    };

    void add(const QByteArray &method, const QString &pattern, Handler handler,
             BodyKind body = BodyKind::Json, Surface surface = Surface::Problem);

    [[nodiscard]] Match match(const QByteArray &method, const QString &path) const;
    [[nodiscard]] const QList<std::shared_ptr<Route>> &routes() const { return m_routes; }

private:
    QList<std::shared_ptr<Route>> m_routes;
    // Routes without variables, by their normalised path: most hot routes resolve in one lookup.
    QHash<QString, QList<Route *>> m_literal;
};
