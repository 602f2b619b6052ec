// SPDX-License-Identifier: MIT
#pragma once
// The settings window's "Test credentials": GET {TWILIO_API_BASE}/2010-04-01/Accounts/{sid}.json
// with HTTP Basic sid:token, the cheapest call that proves Twilio accepts a pair. The server has
// no route that does this for a stored token (it never hands tokens back), so the window tests
// the pair the admin typed before saving it through the API. The token is never logged.

#include <QObject>
#include <QString>

#include <functional>

class QNetworkAccessManager;

class TwilioCredentialTester : public QObject
{
    Q_OBJECT
public:
    static constexpr int TimeoutMs = 10000;

    explicit TwilioCredentialTester(QObject *parent = nullptr);

    // `apiBase` empty: https://api.twilio.com. `done(ok, sentence for the user)`.
    void test(const QString &apiBase, const QString &accountSid, const QString &authToken,
              std::function<void(bool, QString)> done);

private:
    QNetworkAccessManager *m_network;
};
