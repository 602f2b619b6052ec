// SPDX-License-Identifier: MIT
#include "oauthstatestore.h"

#include "storage/sqlrow.h"

using namespace Qt::StringLiterals;

namespace OAuthStateStore {

Status insert(DbConnection &db, const QByteArray &stateHash, const OAuthState &state)
{
    // Abandoned sign-ins leave rows behind; they are few and short-lived, so each new one sweeps.
    if (Result<qint64> swept
        = db.exec(u"DELETE FROM oauth_states WHERE expires_at < ?"_s, {nowIso()});
        !swept) {
        return swept.error();
    }
    Result<qint64> inserted = db.exec(
        u"INSERT INTO oauth_states (state_hash, provider, flow, code_verifier, redirect_to, "
        "created_at, expires_at) VALUES (?, 'google', ?, ?, ?, ?, ?)"_s,
        {QString::fromLatin1(stateHash), state.flow, state.codeVerifier,
         state.redirectTo.isEmpty() ? QVariant() : QVariant(state.redirectTo), nowIso(),
         isoUtc(state.expiresAt)});
    if (!inserted) {
        return inserted.error();
    }
    return Done {};
}

Result<std::optional<OAuthState>> take(DbConnection &db, const QByteArray &stateHash)
{
    // DELETE ... RETURNING: of two callbacks racing with the same state, exactly one gets the row.
    Result<std::optional<SqlRow>> row
        = db.queryOne(u"DELETE FROM oauth_states WHERE state_hash = ? "
                      "RETURNING flow, code_verifier, redirect_to, expires_at"_s,
                      {QString::fromLatin1(stateHash)});
    if (!row) {
        return row.error();
    }
    if (!row.value()) {
        return std::optional<OAuthState>();
    }
    const SqlRow &r = *row.value();
    return std::optional<OAuthState>(OAuthState {r.text(u"flow"_s), r.text(u"code_verifier"_s),
                                                 r.text(u"redirect_to"_s),
                                                 r.time(u"expires_at"_s)});
}

} // namespace OAuthStateStore
