// SPDX-License-Identifier: MIT
#pragma once
// Loads the app's translation (and Qt's own, for its standard dialogs) for the user's locale.

class QCoreApplication;
class QLocale;

// Installs the translators for `locale` (default: the system's) on `app`. Returns whether one of
// ours matched (English needs none).
bool installTranslations(QCoreApplication &app);
bool installTranslations(QCoreApplication &app, const QLocale &locale);
