// SPDX-License-Identifier: MIT
#include "httpresponse.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

void HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            header.second = value;
            return;
        }
    }
    headers.append({name, value});
}

QByteArray HttpResponse::header(QByteArrayView name) const
{
    for (const auto &header : headers) {
        if (QByteArrayView(header.first).compare(name, Qt::CaseInsensitive) == 0) {
            return header.second;
        }
    }
    return {};
}

HttpResponse HttpResponse::json(const QJsonObject &object, int status)
{
    return rawJson(QJsonDocument(object).toJson(QJsonDocument::Compact), status);
}

HttpResponse HttpResponse::json(const QJsonArray &array, int status)
{
    return rawJson(QJsonDocument(array).toJson(QJsonDocument::Compact), status);
}

HttpResponse HttpResponse::rawJson(QByteArray body, int status)
{
    HttpResponse response;
    response.status = status;
    response.headers.append({"Content-Type"_ba, "application/json; charset=utf-8"_ba});
    response.body = std::move(body);
    return response;
}

HttpResponse HttpResponse::text(const QByteArray &body, int status, const QByteArray &contentType)
{
    HttpResponse response;
    response.status = status;
    response.headers.append({"Content-Type"_ba, contentType});
    response.body = body;
    return response;
}

HttpResponse HttpResponse::noContent()
{
    HttpResponse response;
    response.status = 204;
    return response;
}

HttpResponse HttpResponse::redirect(const QByteArray &location, int status)
{
    HttpResponse response;
    response.status = status;
    response.headers.append({"Location"_ba, location});
    return response;
}

HttpResponse HttpResponse::problem(const ApiError &error)
{
    QJsonObject body{
        {u"type"_s, QString(u"urn:inbox-central:problem:"_s + error.type)},
        {u"title"_s, error.title},
        {u"status"_s, error.status},
        {u"detail"_s, error.detail},
    };
    if (!error.fieldErrors.isEmpty()) {
        QJsonArray errors;
        for (const FieldError &fieldError : error.fieldErrors) {
            errors.append(QJsonObject{{u"field"_s, fieldError.field},
                                      {u"message"_s, fieldError.message}});
        }
        body.insert(u"errors"_s, errors);
    }
    HttpResponse response;
    response.status = error.status;
    response.headers.append({"Content-Type"_ba, "application/problem+json; charset=utf-8"_ba});
    if (error.retryAfterSeconds > 0) {
        response.headers.append({"Retry-After"_ba, QByteArray::number(error.retryAfterSeconds)});
    }
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return response;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 101: return "Switching Protocols"_ba;
    case 200: return "OK"_ba;
    case 201: return "Created"_ba;
    case 202: return "Accepted"_ba;
    case 204: return "No Content"_ba;
    case 301: return "Moved Permanently"_ba;
    case 302: return "Found"_ba;
    case 303: return "See Other"_ba;
    case 304: return "Not Modified"_ba;
    case 307: return "Temporary Redirect"_ba;
    case 400: return "Bad Request"_ba;
    case 401: return "Unauthorized"_ba;
    case 403: return "Forbidden"_ba;
    case 404: return "Not Found"_ba;
    case 405: return "Method Not Allowed"_ba;
    case 409: return "Conflict"_ba;
    case 410: return "Gone"_ba;
    case 413: return "Content Too Large"_ba;
    case 415: return "Unsupported Media Type"_ba;
    case 422: return "Unprocessable Content"_ba;
    case 429: return "Too Many Requests"_ba;
    case 500: return "Internal Server Error"_ba;
    case 502: return "Bad Gateway"_ba;
    case 503: return "Service Unavailable"_ba;
    case 504: return "Gateway Timeout"_ba;
    default: return "Status"_ba;
    }
}
