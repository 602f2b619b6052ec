// SPDX-License-Identifier: MIT
#include "optoutwords.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace OptOutWords {

ConsentWord classify(const QString &body, const QString &optOutType)
{
    static const QSet<QString> optOut{u"STOP"_s,   u"STOPALL"_s, u"UNSUBSCRIBE"_s, u"CANCEL"_s,
                                      u"END"_s,    u"QUIT"_s,    u"REVOKE"_s,      u"OPTOUT"_s};
    static const QSet<QString> optIn{u"START"_s, u"YES"_s, u"UNSTOP"_s};
    static const QSet<QString> help{u"HELP"_s, u"INFO"_s};

    const QString type = optOutType.trimmed().toUpper();
    if (type == u"STOP"_s) {
        return ConsentWord::OptOut;
    }
    if (type == u"START"_s) {
        return ConsentWord::OptIn;
    }
    if (type == u"HELP"_s) {
        return ConsentWord::Help;
    }
    const QString word = body.trimmed().toUpper();
    if (optOut.contains(word)) {
        return ConsentWord::OptOut;
    }
    if (optIn.contains(word)) {
        return ConsentWord::OptIn;
    }
    if (help.contains(word)) {
        return ConsentWord::Help;
    }
    return ConsentWord::None;
}

} // namespace OptOutWords
