// SPDX-License-Identifier: MIT
#pragma once
// SQL for the pending OAuth redirects (table oauth_states, migration 0010). Only the SHA-256 of
// a state is stored; taking a state deletes it, so each is used once, by whichever instance the
// browser comes back to. Runs on a database thread; callers own the transaction.

#include "core/result.h"
#include "storage/dbconnection.h"

#include <QDateTime>
#include <QString>

struct OAuthState
{
    QString flow; // "compat" or "v1"
    QString codeVerifier; // PKCE (RFC 7636)
    QString redirectTo; // where the browser goes at the end; empty: the default
    QDateTime expiresAt;
};

namespace OAuthStateStore {

// Stores a new state (by its hash) and drops the expired ones on the way.
[[nodiscard]] Status insert(DbConnection &db, const QByteArray &stateHash, const OAuthState &state);

// Deletes the state and returns what it held, whether or not it has expired (the caller checks),
// or nullopt when it is unknown or was already used.
[[nodiscard]] Result<std::optional<OAuthState>> take(DbConnection &db, const QByteArray &stateHash);

} // namespace OAuthStateStore
