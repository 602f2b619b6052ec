// SPDX-License-Identifier: MIT
#pragma once
// Google's signing keys (the JWKS document), fetched asynchronously and kept for as long as its
// Cache-Control max-age says. A token signed with a key we do not know (Google rotated) makes
// the cache fetch the document again, at most once per MinRefetchSeconds, so a stream of tokens
// with made-up key ids cannot make us hammer Google. Lives on one thread (the network manager's);
// call it there.

#include "auth/google/rsapublickey.h"
#include "core/result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QNetworkAccessManager;

class JwksCache : public QObject
{
    Q_OBJECT
public:
    using Key = std::shared_ptr<const RsaPublicKey>;
    using KeyReply = std::function<void(Result<Key>)>;

    static constexpr int DefaultMaxAgeSecs = 300; // when the answer carries no max-age
    static constexpr int MinRefetchSeconds = 10;

    JwksCache(QNetworkAccessManager *network, QObject *parent = nullptr);

    // The key `kid` of the JWKS at `jwksUri`: from the cache, or after a fetch.
    void key(const QString &jwksUri, const QString &kid, KeyReply done);

    // Parses a JWKS document: its RSA signature keys by kid (others skipped).
    [[nodiscard]] static QHash<QString, Key> parse(const QJsonObject &jwks);

private:
    void fetch(const QString &jwksUri);
    void answer(const QString &kid, const KeyReply &done) const;

    QNetworkAccessManager *m_network;
    QString m_uri;
    QHash<QString, Key> m_keys;
    qint64 m_expiresAtMs = 0;
    qint64 m_lastUnknownKidFetchMs = -1;
    bool m_fetching = false;
    QList<std::pair<QString, KeyReply>> m_waiting;
};
