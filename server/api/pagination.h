// SPDX-License-Identifier: MIT
#pragma once
// `?limit=&cursor=` for list routes, and the `{data, nextCursor}` envelope.

#include "core/result.h"
#include "domain/page.h"
#include "http/httprequest.h"

#include <QJsonArray>
#include <QJsonObject>

// limit: 1..maxLimit (default `defaultLimit`); cursor: from a previous page. Bad values → 422
// with field errors naming `limit` / `cursor`.
[[nodiscard]] Result<PageRequest> parsePageRequest(const HttpRequest &request, int defaultLimit = 50,
                                                   int maxLimit = 200);

// {"data": [...], "nextCursor": "..." | null}
[[nodiscard]] QJsonObject pageJson(const QJsonArray &data, const std::optional<PageCursor> &next);
