// SPDX-License-Identifier: MIT
#pragma once
// Keyset pages sorted newest first on (a timestamp column, id): the conversation list, a
// conversation's messages and the notes all page this way.

#include "core/result.h"
#include "domain/page.h"

// Checks that the cursor's key is a timestamp and rewrites it in the stored form
// (ISO-8601 UTC with milliseconds), so it compares as text on SQLite and binds as timestamptz on
// PostgreSQL. A cursor that decodes but carries no timestamp is a 422 on `cursor`, not a 500.
[[nodiscard]] Result<PageRequest> checkTimeCursor(PageRequest page);

// Rows fetched with LIMIT limit + 1: the extra row only says that another page exists.
template<typename T, typename CursorOf>
[[nodiscard]] Page<T> takePage(QList<T> rows, int limit, CursorOf cursorOf)
{
    Page<T> page;
    if (rows.size() > limit) {
        rows.resize(limit);
        page.next = cursorOf(rows.last());
    }
    page.items = std::move(rows);
    return page;
}
