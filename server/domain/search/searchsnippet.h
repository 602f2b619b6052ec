// SPDX-License-Identifier: MIT
#pragma once
// The excerpt a search result shows: plain text (no markup, so no client can be tricked into
// rendering HTML from a message), cut around the first matching term.

#include <QString>
#include <QStringList>

[[nodiscard]] QString searchSnippet(const QString &text, const QStringList &terms,
                                    int maxLength = 160);
