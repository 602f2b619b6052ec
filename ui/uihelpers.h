// SPDX-License-Identifier: MIT
#pragma once

// Small display helpers for the QML views, so that the views carry no date arithmetic or
// formatting logic: timestamps in the list and bubbles, and the "send later" presets.

#include <QDateTime>
#include <QObject>
#include <QtQml/qqmlregistration.h>

class UiHelpers : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit UiHelpers(QObject *parent = nullptr);

    // "14:05" today, "Yesterday", a weekday within a week, else the short date.
    Q_INVOKABLE QString shortTime(const QDateTime &when) const;
    // Date and time in the user's locale.
    Q_INVOKABLE QString longTime(const QDateTime &when) const;
    // The "send later" presets: 0 in one hour, 1 in three hours, 2 tomorrow at 09:00,
    // 3 next Monday at 09:00 (local time).
    Q_INVOKABLE QDateTime laterPreset(int preset) const;
    Q_INVOKABLE QStringList laterPresetNames() const;
    // Now plus `minutes`.
    Q_INVOKABLE QDateTime minutesFromNow(int minutes) const;
};
