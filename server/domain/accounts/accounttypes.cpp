// SPDX-License-Identifier: MIT
#include "accounttypes.h"

using namespace Qt::StringLiterals;

QString roleName(Role role)
{
    switch (role) {
    case Role::Viewer: return u"viewer"_s;
    case Role::Editor: return u"editor"_s;
    case Role::Admin: return u"admin"_s;
    }
    return u"viewer"_s;
}

std::optional<Role> parseRole(const QString &name)
{
    const QString lower = name.toLower();
    if (lower == u"viewer"_s) {
        return Role::Viewer;
    }
    if (lower == u"editor"_s) {
        return Role::Editor;
    }
    if (lower == u"admin"_s) {
        return Role::Admin;
    }
    return std::nullopt;
}
