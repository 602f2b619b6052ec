// SPDX-License-Identifier: MIT
#pragma once
// The one way the Google sign-in code talks HTTP: an asynchronous request through a
// QNetworkAccessManager (never waiting on the calling thread), a timeout, a size cap, no
// redirects or cookies, and the answer as a JSON object with its Cache-Control max-age.
// Failures are ApiErrors (502 google-unavailable, 504 on a timeout); nothing secret is logged.

#include "core/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>
#include <utility>

class QNetworkAccessManager;

struct GoogleAnswer
{
    int status = 0;
    QJsonObject body;
    std::optional<int> maxAgeSecs; // Cache-Control: max-age; 0 for no-store/no-cache
};

namespace GoogleHttp {

constexpr int TimeoutMs = 10000;
constexpr qint64 MaxAnswerBytes = 1024 * 1024;

// GET `url`; `what` names the document in errors and logs ("the JWKS"). Any HTTP status comes
// back as an answer when the body is a JSON object; the caller decides what a status means.
void getJson(QNetworkAccessManager *network, const QUrl &url, const QString &what,
             std::function<void(Result<GoogleAnswer>)> done);

// POST an application/x-www-form-urlencoded body.
void postForm(QNetworkAccessManager *network, const QUrl &url,
              const QList<std::pair<QString, QString>> &form, const QString &what,
              std::function<void(Result<GoogleAnswer>)> done);

// max-age of a Cache-Control header value; 0 for no-store/no-cache; nullopt when it says neither.
[[nodiscard]] std::optional<int> maxAge(const QByteArray &cacheControl);

[[nodiscard]] ApiError unavailable(const QString &detail);

} // namespace GoogleHttp
