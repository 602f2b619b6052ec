// SPDX-License-Identifier: MIT
#include "email.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

bool isValidEmail(const QString &email)
{
    // Deliberately simple: one @, a dot in the domain, no spaces; the mailbox decides the rest.
    static const QRegularExpression pattern(u"^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"_s);
    return email.size() <= 254 && pattern.match(email).hasMatch();
}
