// SPDX-License-Identifier: MIT
#include "router.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QList<QStringView> splitPath(QStringView path)
{
    QList<QStringView> parts = path.split(u'/', Qt::SkipEmptyParts);
    return parts;
}

bool isVariable(const QString &segment)
{
    return segment.size() > 2 && segment.startsWith(u'{') && segment.endsWith(u'}');
}

} // namespace

void Router::add(const QByteArray &method, const QString &pattern, Handler handler, BodyKind body,
                 Surface surface)
{
    auto route = std::make_shared<Route>();
    route->method = method;
    route->pattern = pattern;
    route->segments = pattern.split(u'/', Qt::SkipEmptyParts);
    route->handler = std::move(handler);
    route->body = body;
    route->surface = surface;
    if (std::none_of(route->segments.cbegin(), route->segments.cend(), isVariable)) {
        m_literal[u'/' + route->segments.join(u'/')].append(route.get());
    }
    m_routes.append(std::move(route));
}

Router::Match Router::match(const QByteArray &method, const QString &path) const
{
    Match result;
    // HEAD is served by the GET handler; the server drops the body.
    const QByteArray wanted = method == "HEAD" ? "GET"_ba : method;
    const auto literal = m_literal.constFind(path);
    if (literal != m_literal.cend()) {
        for (Route *route : literal.value()) {
            if (route->method == wanted) {
                result.route = route;
                return result;
            }
        }
    }
    const QList<QStringView> parts = splitPath(path);
    QList<QByteArray> allowed;

    for (const auto &route : m_routes) {
        if (route->segments.size() != parts.size()) {
            continue;
        }
        QHash<QString, QString> params;
        bool matched = true;
        for (qsizetype i = 0; i < parts.size(); ++i) {
            const QString &segment = route->segments.at(i);
            if (isVariable(segment)) {
                params.insert(segment.mid(1, segment.size() - 2), parts.at(i).toString());
            } else if (segment != parts.at(i)) {
                matched = false;
                break;
            }
        }
        if (!matched) {
            continue;
        }
        if (route->method == wanted) {
            result.route = route.get();
            result.params = std::move(params);
            return result;
        }
        if (!allowed.contains(route->method)) {
            allowed.append(route->method);
        }
    }
    if (!allowed.isEmpty()) {
        if (allowed.contains("GET"_ba)) {
            allowed.append("HEAD"_ba);
        }
        allowed.append("OPTIONS"_ba);
        result.allowedMethods = allowed.join(", ");
    }
    return result;
}
