// SPDX-License-Identifier: MIT
#pragma once
// The account model shared by the storage, domain and API layers.

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

enum class Role { Viewer = 0, Editor = 1, Admin = 2 };

[[nodiscard]] QString roleName(Role role);                       // "viewer"
[[nodiscard]] std::optional<Role> parseRole(const QString &name); // any case: "ADMIN" too

struct Membership
{
    QString teamId;
    QString teamName;
    Role role = Role::Viewer;
    QDateTime joinedAt;
};

struct User
{
    QString id;
    QString email;
    QString name;
    QString avatarUrl;
    QByteArray passwordHash;
    QString googleSub;
    bool disabled = false;
    QDateTime createdAt;
    QList<Membership> teams;
};

struct Member
{
    QString userId;
    QString email;
    QString name;
    QString avatarUrl;
    Role role = Role::Viewer;
    QDateTime joinedAt;
};

struct Invitation
{
    QString id;
    QString teamId;
    QString email;
    Role role = Role::Viewer;
    QString invitedBy;
    QDateTime createdAt;
    QDateTime expiresAt;
};

// What a successful sign-up, login or refresh hands to the client.
// In a namespace (used under its short name) because the desktop app links this library together
// with the QML inbox's client library, whose global `class Session` would otherwise share its
// destructor's symbol with this one: the linker keeps one, and the server crashed destroying a
// sign-up's Session with the QObject destructor.
namespace Accounts {
struct Session
{
    User user;
    QByteArray accessToken;
    int accessTokenTtl = 0;
    QString refreshToken; // opaque; only its hash is stored
    bool created = false; // sign-up (201) rather than login (200)
};
} // namespace Accounts
using Accounts::Session;
