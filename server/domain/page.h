// SPDX-License-Identifier: MIT
#pragma once
// Keyset pagination: a page is "the `limit` rows after this (sort key, id) position", so a page
// costs one index range scan however deep it is. The cursor is opaque to clients.

#include <QList>
#include <QString>

#include <optional>

struct PageCursor
{
    QString key; // the sort column's value of the last row served (e.g. an ISO timestamp)
    QString id;  // the last row's id, to break ties
};

struct PageRequest
{
    int limit = 50;
    std::optional<PageCursor> after;
};

template<typename T>
struct Page
{
    QList<T> items;
    std::optional<PageCursor> next; // set when more rows may follow
};

// base64url(JSON) so clients treat it as opaque; nullopt when it does not decode.
[[nodiscard]] QString encodeCursor(const PageCursor &cursor);
[[nodiscard]] std::optional<PageCursor> decodeCursor(const QString &text);
