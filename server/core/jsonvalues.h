// SPDX-License-Identifier: MIT
#pragma once
// The API writes absent values as JSON null, never as "" or an invalid date.

#include <QDateTime>
#include <QJsonValue>
#include <QString>

[[nodiscard]] QJsonValue jsonTextOrNull(const QString &text);
// ISO-8601 UTC with milliseconds ("2026-11-24T22:50:51.123Z"), or null.
[[nodiscard]] QJsonValue isoTimeOrNull(const QDateTime &time);
