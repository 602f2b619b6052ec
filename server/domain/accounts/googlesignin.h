// SPDX-License-Identifier: MIT
#pragma once
// The "Sign in with Google" use cases: start a redirect (a single-use state with its PKCE
// verifier stored in the database, so the callback may reach any instance), finish it (take the
// state, exchange the code, verify the ID token, sign the user in), and sign in with an ID token
// a client got itself. Public methods may be called from any thread; the work and the answers
// happen on this object's thread (the main thread, where the Google client's network manager
// lives), and nothing waits on the network.

#include "auth/google/googleidtoken.h"
#include "core/result.h"
#include "domain/accounts/accountservice.h"

#include <QObject>
#include <QString>

#include <functional>

class Database;
class GoogleAuthClient;

// Which surface started a redirect, so the callback ends the way that surface expects.
enum class GoogleFlow { Compat, V1 };

// How a redirect ended: with a session, or an error; and where it was meant to go.
struct GoogleCallbackOutcome
{
    GoogleFlow flow = GoogleFlow::Compat;
    QString redirectTo; // empty: the surface's default
    std::optional<Session> session;
    std::optional<ApiError> error;
};

class GoogleSignIn : public QObject
{
    Q_OBJECT
public:
    static constexpr int StateTtlSeconds = 600;

    GoogleSignIn(Database *db, GoogleAuthClient *client, AccountService *accounts,
                 QObject *parent = nullptr);

    [[nodiscard]] bool enabled() const;

    // The URL of Google's authorization endpoint to send the browser to.
    void start(GoogleFlow flow, const QString &redirectTo,
               std::function<void(Result<QString>)> done);

    // The callback's query: code and state (or Google's `error`).
    void finish(const QString &code, const QString &state, const QString &googleError,
                const AccountService::Client &client,
                std::function<void(GoogleCallbackOutcome)> done);

    void signInWithIdToken(const QByteArray &idToken, const AccountService::Client &client,
                           AccountService::Reply<Session> done);

    // The 404 every Google route answers while GOOGLE_CLIENT_ID is unset.
    [[nodiscard]] static ApiError disabledError();

private:
    Database *m_db;
    GoogleAuthClient *m_client;
    AccountService *m_accounts;
};
