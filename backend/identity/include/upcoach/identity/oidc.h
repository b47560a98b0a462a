// The OpenID Connect relying party's talk with providers (OpenID Connect Core 1.0, Discovery
// 1.0, RFC 6749, RFC 7636, RFC 7523): discovery documents and JWKS fetched and cached per
// process, refreshed when a token names a key the cache does not hold (key rotation), the
// authorization request URL, the code exchange with client_secret_basic, client_secret_post or
// private_key_jwt, and userinfo. Token validation itself is jose.h (validateIdToken).
//
// Transport rules: https only, except http to a loopback address (a provider on the same host,
// as in tests); no redirects followed; every answer at most kOidcMaxResponseBytes and 10 s.
// Blocking: call from worker threads (each call runs its own short event loop).
#pragma once

#include "upcoach/core/result.h"
#include "upcoach/identity/jose.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <chrono>
#include <mutex>

namespace upcoach::identity {

constexpr qsizetype kOidcMaxResponseBytes = 512 * 1024;

struct OidcProviderMetadata
{
    QString issuer;
    QUrl authorizationEndpoint;
    QUrl tokenEndpoint;
    QUrl userinfoEndpoint; // empty when the provider has none
    QUrl jwksUri;
    QStringList idTokenSigningAlgs;
    QStringList tokenEndpointAuthMethods;
    QStringList codeChallengeMethods;
};

// Parses a discovery document. The issuer in it must be exactly `expectedIssuer` (Discovery
// §4.3: a mismatch is an impersonation attempt); endpoints must be absolute https (or loopback
// http) URLs. InvalidInput names what is wrong.
Result<OidcProviderMetadata> parseDiscovery(const QByteArray &json, const QString &expectedIssuer);

// Whether `url` may carry OIDC traffic: https, or http to 127.0.0.0/8, ::1 or localhost.
bool oidcTransportAllowed(const QUrl &url);

struct HttpAnswer
{
    int status = 0;
    QByteArray contentType;
    QByteArray body;
};

// One blocking HTTP exchange under the transport rules. Unavailable when the peer does not
// answer in time or the answer is too large; the status is the caller's to judge.
Result<HttpAnswer> oidcHttp(const QByteArray &method, const QUrl &url,
                            const QList<QPair<QByteArray, QByteArray>> &headers = {},
                            const QByteArray &body = {});

enum class ClientAuthMethod
{
    ClientSecretBasic,
    ClientSecretPost,
    PrivateKeyJwt,
};
QString clientAuthMethodName(ClientAuthMethod method);
std::optional<ClientAuthMethod> clientAuthMethodFromName(const QString &name);

struct OidcClientCredentials
{
    QString clientId;
    ClientAuthMethod method = ClientAuthMethod::ClientSecretBasic;
    QByteArray clientSecret; // the basic and post methods
    SigningKey clientKey;    // private_key_jwt
};

struct OidcTokens
{
    QByteArray idToken;
    QByteArray accessToken;
    QString tokenType;
};

// Discovery and JWKS, cached for `ttl`; a JWKS refresh forced by an unknown kid happens at once
// the first time, then at most once per `minRefreshInterval` per provider, so a rotation is
// followed immediately but tokens naming random kids cannot make us hammer the provider.
// Thread-safe.
class OidcProviderCache
{
public:
    explicit OidcProviderCache(std::chrono::seconds ttl = std::chrono::hours(1),
                               std::chrono::seconds minRefreshInterval = std::chrono::seconds(10));

    Result<OidcProviderMetadata> metadata(const QString &issuer);
    // The provider's keys; `refresh`: fetch again now (after an unknown kid), within the limit.
    Result<JwkSet> keys(const OidcProviderMetadata &provider, bool refresh = false);
    // Validates the ID token, refreshing the JWKS once if it names a key we do not hold.
    Result<IdTokenClaims> validate(const OidcProviderMetadata &provider, QByteArrayView idToken,
                                   const IdTokenExpectations &expect);
    void clear();

private:
    struct Cached
    {
        OidcProviderMetadata metadata;
        QDateTime fetchedAt;
    };
    struct CachedKeys
    {
        JwkSet keys;
        QDateTime fetchedAt;
        QDateTime forcedAt; // the last refresh an unknown kid forced
    };
    std::chrono::seconds m_ttl;
    std::chrono::seconds m_minRefresh;
    std::mutex m_mutex;
    QHash<QString, Cached> m_metadata;
    QHash<QString, CachedKeys> m_keys; // by jwks_uri
};

// The authorization request (code flow, PKCE S256, state and nonce).
QUrl authorizationRequestUrl(const OidcProviderMetadata &provider, const QString &clientId,
                             const QUrl &redirectUri, const QStringList &scopes,
                             const QByteArray &state, const QByteArray &nonce,
                             const QByteArray &codeChallenge);

// The token request for an authorization code; the answer must be JSON with an id_token.
// Unauthorized with the provider's error code (never its description verbatim beyond 200
// characters) when the provider refuses.
Result<OidcTokens> exchangeCode(const OidcProviderMetadata &provider,
                                const OidcClientCredentials &client, const QByteArray &code,
                                const QUrl &redirectUri, const QByteArray &codeVerifier);

// The userinfo claims (a JSON object); its "sub" must equal `subject` (Core §5.3.2).
Result<QJsonObject> fetchUserinfo(const OidcProviderMetadata &provider,
                                  const QByteArray &accessToken, const QString &subject);

} // namespace upcoach::identity
