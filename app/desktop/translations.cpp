// SPDX-License-Identifier: MIT
#include "translations.h"

#include "core/logging.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

using namespace Qt::StringLiterals;

bool installTranslations(QCoreApplication &app)
{
    return installTranslations(app, QLocale());
}

bool installTranslations(QCoreApplication &app, const QLocale &locale)
{
    // Qt's own strings (standard buttons, dialogs), when the system has them.
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
    } else {
        delete qt;
    }
    // Ours are compiled in by qt_add_translations, under :/i18n.
    auto *ours = new QTranslator(&app);
    if (!ours->load(locale, u"inbox-central"_s, u"_"_s, u":/i18n"_s)) {
        delete ours;
        return false;
    }
    qCInfo(lcApp) << "translation loaded:" << ours->language();
    QCoreApplication::installTranslator(ours);
    return true;
}
