// SPDX-License-Identifier: MIT
#include "googlesignin.h"

#include "auth/google/googleauthclient.h"
#include "auth/google/pkce.h"
#include "core/logging.h"
#include "storage/database.h"
#include "storage/oauthstatestore.h"

#include <QDateTime>
#include <QMetaObject>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace {

ApiError invalidState(const QString &detail)
{
    return ApiError {400, u"google-invalid-state"_s, u"Invalid sign-in state"_s, detail, {}, 0};
}

} // namespace

GoogleSignIn::GoogleSignIn(Database *db, GoogleAuthClient *client, AccountService *accounts,
                           QObject *parent)
    : QObject(parent), m_db(db), m_client(client), m_accounts(accounts)
{
}

bool GoogleSignIn::enabled() const
{
    return m_client->settings().enabled();
}

ApiError GoogleSignIn::disabledError()
{
    return ApiError {404,
                     u"google-sign-in-off"_s,
                     u"Google sign-in is off"_s,
                     u"Google sign-in is not configured on this server (GOOGLE_CLIENT_ID)."_s,
                     {},
                     0};
}

void GoogleSignIn::start(GoogleFlow flow, const QString &redirectTo,
                         std::function<void(Result<QString>)> done)
{
    QMetaObject::invokeMethod(this, [this, flow, redirectTo, done] {
        if (!enabled()) {
            return done(disabledError());
        }
        const QString state = Pkce::newState();
        OAuthState row;
        row.flow = flow == GoogleFlow::V1 ? u"v1"_s : u"compat"_s;
        row.codeVerifier = Pkce::newVerifier();
        row.redirectTo = redirectTo;
        row.expiresAt = QDateTime::currentDateTimeUtc().addSecs(StateTtlSeconds);
        const QString challenge = Pkce::challengeS256(row.codeVerifier);
        const QByteArray hash = Pkce::stateHash(state);
        m_db->run<Done>(
            DbAccess::Write,
            [hash, row](DbConnection &db) -> Status {
                return runInTransaction<Done>(
                    db, [&] { return OAuthStateStore::insert(db, hash, row); });
            },
            this,
            [this, state, challenge, done](Status stored) {
                if (!stored) {
                    return done(stored.error());
                }
                m_client->authorizationUrl(state, challenge, [done](Result<QUrl> url) {
                    if (!url) {
                        return done(url.error());
                    }
                    done(url->toString(QUrl::FullyEncoded));
                });
            });
    });
}

void GoogleSignIn::finish(const QString &code, const QString &state, const QString &googleError,
                          const AccountService::Client &client,
                          std::function<void(GoogleCallbackOutcome)> done)
{
    QMetaObject::invokeMethod(this, [this, code, state, googleError, client, done] {
        const auto fail = [done](GoogleCallbackOutcome outcome, ApiError error) {
            outcome.error = std::move(error);
            done(std::move(outcome));
        };
        if (!enabled()) {
            return fail({}, disabledError());
        }
        if (state.isEmpty() || state.size() > 200) {
            return fail({}, invalidState(u"The callback carries no valid state."_s));
        }
        const QByteArray hash = Pkce::stateHash(state);
        m_db->run<std::optional<OAuthState>>(
            DbAccess::Write,
            [hash](DbConnection &db) -> Result<std::optional<OAuthState>> {
                return runInTransaction<std::optional<OAuthState>>(
                    db, [&] { return OAuthStateStore::take(db, hash); });
            },
            this,
            [this, code, googleError, client, done, fail](Result<std::optional<OAuthState>> taken) {
                if (!taken) {
                    return fail({}, taken.error());
                }
                if (!taken.value()) {
                    return fail({},
                                invalidState(u"The sign-in state is unknown or was already used: "
                                             "start the sign-in again."_s));
                }
                const OAuthState row = *taken.value();
                GoogleCallbackOutcome outcome;
                outcome.flow = row.flow == u"v1"_s ? GoogleFlow::V1 : GoogleFlow::Compat;
                outcome.redirectTo = row.redirectTo;
                if (!row.expiresAt.isValid() || row.expiresAt < QDateTime::currentDateTimeUtc()) {
                    return fail(outcome,
                                invalidState(u"The sign-in took too long: start again."_s));
                }
                if (!googleError.isEmpty()) {
                    return fail(outcome,
                                ApiError {401,
                                          u"google-denied"_s,
                                          u"Google sign-in cancelled"_s,
                                          u"Google did not sign the user in."_s,
                                          {},
                                          0});
                }
                if (code.isEmpty() || code.size() > 2000) {
                    return fail(outcome,
                                ApiError {400,
                                          u"google-no-code"_s,
                                          u"No authorization code"_s,
                                          u"The callback carries no authorization code."_s,
                                          {},
                                          0});
                }
                m_client->exchangeCode(
                    code, row.codeVerifier,
                    [this, outcome, client, done, fail](Result<GoogleIdentity> identity) {
                        if (!identity) {
                            return fail(outcome, identity.error());
                        }
                        m_accounts->signInWithGoogle(
                            identity.value(), client,
                            [outcome, done, fail](Result<Session> session) mutable {
                                if (!session) {
                                    return fail(outcome, session.error());
                                }
                                outcome.session = std::move(session.value());
                                done(std::move(outcome));
                            });
                    });
            });
    });
}

void GoogleSignIn::signInWithIdToken(const QByteArray &idToken,
                                     const AccountService::Client &client,
                                     AccountService::Reply<Session> done)
{
    QMetaObject::invokeMethod(this, [this, idToken, client, done] {
        if (!enabled()) {
            return done(disabledError());
        }
        m_client->verifyIdToken(idToken, [this, client, done](Result<GoogleIdentity> identity) {
            if (!identity) {
                return done(identity.error());
            }
            m_accounts->signInWithGoogle(identity.value(), client, done);
        });
    });
}
