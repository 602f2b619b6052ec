// SPDX-License-Identifier: MIT
#pragma once
// Google's OpenID Provider configuration (the discovery document): where to send the browser,
// where to exchange a code and where the signing keys are. Fetched asynchronously on first use
// and kept for its Cache-Control max-age (an hour when it says nothing); a failed fetch is
// retried by the next sign-in. Lives on the network manager's thread; call it there.

#include "core/result.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>

class QNetworkAccessManager;

struct OidcEndpoints
{
    QString issuer;
    QString authorizationEndpoint;
    QString tokenEndpoint;
    QString jwksUri;
};

class OidcDiscovery : public QObject
{
    Q_OBJECT
public:
    using Reply = std::function<void(Result<OidcEndpoints>)>;
    static constexpr int DefaultMaxAgeSecs = 3600;

    OidcDiscovery(QNetworkAccessManager *network, QString discoveryUrl, QObject *parent = nullptr);

    void endpoints(Reply done);

private:
    QNetworkAccessManager *m_network;
    QString m_url;
    std::optional<OidcEndpoints> m_endpoints;
    qint64 m_expiresAtMs = 0;
    bool m_fetching = false;
    QList<Reply> m_waiting;
};
