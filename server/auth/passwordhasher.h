// SPDX-License-Identifier: MIT
#pragma once
// bcrypt password hashes through libxcrypt. Reads hashes written by the Node backend (bcryptjs:
// $2a$/$2b$) and PHP ($2y$); writes $2b$. Thread safe: each call has its own crypt state.

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>

class PasswordHasher
{
public:
    // bcrypt reads at most this many bytes of a password and ignores the rest.
    static constexpr qsizetype MaxPasswordBytes = 72;
    static constexpr int MinCost = 4;
    static constexpr int MaxCost = 31;

    // A new "$2b$<cost>$…" hash (60 characters) with a random salt. Refuses, as a 422 on field
    // "password", passwords bcrypt would truncate or cut at a NUL byte, so what the user typed is
    // what gets checked. A cost outside [4, 31] is a configuration error (500).
    [[nodiscard]] static Result<QByteArray> hash(QByteArrayView password, int cost);

    // Whether password matches a stored $2a$/$2b$/$2y$ hash. False, never a crash, for anything
    // malformed: empty, truncated, another scheme, or a crypt failure token ("*0").
    [[nodiscard]] static bool verify(QByteArrayView password, QByteArrayView storedHash);

    // The cost factor of a well-formed bcrypt hash (to spot hashes due for a rehash), else -1.
    [[nodiscard]] static int costOf(QByteArrayView hash);
};
