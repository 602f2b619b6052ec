// SPDX-License-Identifier: MIT
#include "uihelpers.h"

#include <QLocale>

UiHelpers::UiHelpers(QObject *parent)
    : QObject(parent)
{
}

QString UiHelpers::shortTime(const QDateTime &when) const
{
    if (!when.isValid()) {
        return {};
    }
    const QDateTime local = when.toLocalTime();
    const QDate today = QDate::currentDate();
    const QLocale locale;
    if (local.date() == today) {
        return locale.toString(local.time(), QLocale::ShortFormat);
    }
    if (local.date() == today.addDays(-1)) {
        return tr("Yesterday");
    }
    if (local.date() > today.addDays(-7)) {
        return locale.dayName(local.date().dayOfWeek(), QLocale::ShortFormat);
    }
    return locale.toString(local.date(), QLocale::ShortFormat);
}

QString UiHelpers::longTime(const QDateTime &when) const
{
    return when.isValid() ? QLocale().toString(when.toLocalTime(), QLocale::ShortFormat)
                          : QString();
}

QDateTime UiHelpers::laterPreset(int preset) const
{
    const QDateTime now = QDateTime::currentDateTime();
    switch (preset) {
    case 0:
        return now.addSecs(3600);
    case 1:
        return now.addSecs(3 * 3600);
    case 2:
        return QDateTime(now.date().addDays(1), QTime(9, 0));
    default: {
        const int toMonday = 8 - now.date().dayOfWeek(); // 1..7 days ahead
        return QDateTime(now.date().addDays(toMonday), QTime(9, 0));
    }
    }
}

QStringList UiHelpers::laterPresetNames() const
{
    return {tr("In 1 hour"), tr("In 3 hours"), tr("Tomorrow at 9:00"), tr("Monday at 9:00")};
}

QDateTime UiHelpers::minutesFromNow(int minutes) const
{
    return QDateTime::currentDateTime().addSecs(qint64(minutes) * 60);
}
