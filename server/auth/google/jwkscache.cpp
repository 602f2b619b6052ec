// SPDX-License-Identifier: MIT
#include "jwkscache.h"

#include "auth/google/googlehttp.h"
#include "auth/google/googleidtoken.h"
#include "core/crypto.h"
#include "core/logging.h"

#include <QDateTime>
#include <QJsonArray>
#include <QNetworkAccessManager>

using namespace Qt::StringLiterals;

JwksCache::JwksCache(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent), m_network(network)
{
}

QHash<QString, JwksCache::Key> JwksCache::parse(const QJsonObject &jwks)
{
    QHash<QString, Key> keys;
    for (const QJsonValue &item : jwks.value(u"keys"_s).toArray()) {
        const QJsonObject jwk = item.toObject();
        const QString kid = jwk.value(u"kid"_s).toString();
        const QString use = jwk.value(u"use"_s).toString();
        const QString alg = jwk.value(u"alg"_s).toString();
        if (kid.isEmpty() || jwk.value(u"kty"_s).toString() != u"RSA"_s
            || (!use.isEmpty() && use != u"sig"_s) || (!alg.isEmpty() && alg != u"RS256"_s)) {
            continue;
        }
        const std::optional<QByteArray> n
            = Crypto::base64UrlDecode(jwk.value(u"n"_s).toString().toLatin1());
        const std::optional<QByteArray> e
            = Crypto::base64UrlDecode(jwk.value(u"e"_s).toString().toLatin1());
        if (!n || !e) {
            continue;
        }
        Result<Key> key = RsaPublicKey::fromModulusExponent(*n, *e);
        if (key) {
            keys.insert(kid, key.value());
        } else {
            qCWarning(lcAuth).noquote()
                << "Google sign-in: skipped JWKS key" << kid << "-" << key.error().detail;
        }
    }
    return keys;
}

void JwksCache::key(const QString &jwksUri, const QString &kid, KeyReply done)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (jwksUri != m_uri) {
        m_uri = jwksUri;
        m_keys.clear();
        m_expiresAtMs = 0;
    }
    const bool fresh = now < m_expiresAtMs;
    if (fresh && m_keys.contains(kid)) {
        return done(m_keys.value(kid));
    }
    if (fresh && !m_fetching) {
        // A key we do not know although the set is fresh: Google may have rotated early.
        if (m_lastUnknownKidFetchMs >= 0
            && now - m_lastUnknownKidFetchMs < MinRefetchSeconds * 1000) {
            return answer(kid, done);
        }
        m_lastUnknownKidFetchMs = now;
    }
    m_waiting.append({kid, std::move(done)});
    if (!m_fetching) {
        fetch(jwksUri);
    }
}

void JwksCache::answer(const QString &kid, const KeyReply &done) const
{
    if (const Key key = m_keys.value(kid)) {
        return done(key);
    }
    done(GoogleIdToken::invalid(u"The ID token is signed with a key Google does not publish."_s));
}

void JwksCache::fetch(const QString &jwksUri)
{
    m_fetching = true;
    GoogleHttp::getJson(
        m_network, QUrl(jwksUri), u"the JWKS"_s, [this, jwksUri](Result<GoogleAnswer> fetched) {
            m_fetching = false;
            const auto waiting = std::exchange(m_waiting, {});
            if (fetched && fetched->status == 200 && jwksUri == m_uri) {
                m_keys = parse(fetched->body);
                const int maxAge = fetched->maxAgeSecs.value_or(DefaultMaxAgeSecs);
                m_expiresAtMs = QDateTime::currentMSecsSinceEpoch() + qint64(maxAge) * 1000;
                qCInfo(lcAuth).noquote() << "Google sign-in: loaded" << m_keys.size()
                                         << "signing keys, kept for" << maxAge << "s";
            } else if (!fetched || fetched->status != 200) {
                // Keys we already hold stay usable (a stale key beats no sign-in while Google
                // hiccups).
                const ApiError error = fetched
                    ? GoogleHttp::unavailable(
                        u"Google's JWKS answered HTTP %1."_s.arg(fetched->status))
                    : fetched.error();
                for (const auto &[kid, done] : waiting) {
                    if (const Key key = m_keys.value(kid)) {
                        done(key);
                    } else {
                        done(error);
                    }
                }
                return;
            }
            for (const auto &[kid, done] : waiting) {
                answer(kid, done);
            }
        });
}
