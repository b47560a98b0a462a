#include "upcoach/identity/oidc.h"

#include <QEventLoop>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>
#include <memory>

namespace upcoach::identity {

namespace {

constexpr int kHttpTimeoutMs = 10000;

Error invalid(const QString &what)
{
    return makeError(ErrorCode::InvalidInput, what);
}

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &item : value.toArray())
        if (item.isString())
            out << item.toString();
    return out;
}

Result<QUrl> endpoint(const QJsonObject &document, const char *name, bool required)
{
    const QJsonValue value = document.value(QLatin1String(name));
    if (value.isUndefined() && !required)
        return QUrl();
    const QUrl url(value.toString(), QUrl::StrictMode);
    if (!url.isValid() || url.isRelative() || !oidcTransportAllowed(url))
        return invalid(
            QStringLiteral("discovery: %1 must be an https URL").arg(QLatin1String(name)));
    return url;
}

// Strict JSON object of a provider's answer.
Result<QJsonObject> jsonObjectOf(const HttpAnswer &answer, const QString &what)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(answer.body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("%1: the provider's answer is not a JSON object").arg(what));
    return document.object();
}

} // namespace

bool oidcTransportAllowed(const QUrl &url)
{
    if (url.scheme() == QLatin1String("https"))
        return !url.host().isEmpty();
    if (url.scheme() != QLatin1String("http"))
        return false;
    if (url.host() == QLatin1String("localhost"))
        return true;
    const QHostAddress address(url.host());
    return !address.isNull() && address.isLoopback();
}

Result<OidcProviderMetadata> parseDiscovery(const QByteArray &json, const QString &expectedIssuer)
{
    if (json.size() > kOidcMaxResponseBytes)
        return invalid(QStringLiteral("discovery: the document is too large"));
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return invalid(QStringLiteral("discovery: not a JSON object"));
    const QJsonObject object = document.object();
    OidcProviderMetadata provider;
    provider.issuer = object.value(QStringLiteral("issuer")).toString();
    if (provider.issuer != expectedIssuer)
        return invalid(QStringLiteral("discovery: the document's issuer is not %1 (Discovery "
                                      "§4.3: refused)")
                           .arg(expectedIssuer));
    auto authorization = endpoint(object, "authorization_endpoint", true);
    auto token = endpoint(object, "token_endpoint", true);
    auto userinfo = endpoint(object, "userinfo_endpoint", false);
    auto jwks = endpoint(object, "jwks_uri", true);
    for (const auto *url : {&authorization, &token, &userinfo, &jwks})
        if (!*url)
            return url->error();
    provider.authorizationEndpoint = *authorization;
    provider.tokenEndpoint = *token;
    provider.userinfoEndpoint = *userinfo;
    provider.jwksUri = *jwks;
    provider.idTokenSigningAlgs =
        stringList(object.value(QStringLiteral("id_token_signing_alg_values_supported")));
    provider.tokenEndpointAuthMethods =
        stringList(object.value(QStringLiteral("token_endpoint_auth_methods_supported")));
    if (provider.tokenEndpointAuthMethods.isEmpty()) // the default (Discovery §3)
        provider.tokenEndpointAuthMethods << QStringLiteral("client_secret_basic");
    provider.codeChallengeMethods =
        stringList(object.value(QStringLiteral("code_challenge_methods_supported")));
    return provider;
}

Result<HttpAnswer> oidcHttp(const QByteArray &method, const QUrl &url,
                            const QList<QPair<QByteArray, QByteArray>> &headers,
                            const QByteArray &body)
{
    if (!oidcTransportAllowed(url))
        return makeError(ErrorCode::Config,
                         QStringLiteral("%1 is not an https URL (plain http only to loopback)")
                             .arg(url.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo)));
    QNetworkAccessManager network;
    network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    QNetworkRequest request(url);
    request.setTransferTimeout(kHttpTimeoutMs);
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", "upcoach-ops");
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    std::unique_ptr<QNetworkReply> reply(network.sendCustomRequest(request, method, body));
    QEventLoop loop;
    bool tooLarge = false;
    QObject::connect(reply.get(), &QNetworkReply::downloadProgress, &loop,
                     [&](qint64 received, qint64) {
                         if (received > kOidcMaxResponseBytes) {
                             tooLarge = true;
                             reply->abort();
                         }
                     });
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(kHttpTimeoutMs + 1000, &loop, [&] { reply->abort(); });
    if (!reply->isFinished())
        loop.exec();
    const QString where = url.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo);
    if (tooLarge)
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("%1 answered more than %2 bytes").arg(where).arg(kOidcMaxResponseBytes));
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (answer.status == 0)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("%1 did not answer: %2").arg(where, reply->errorString()));
    answer.body = reply->readAll();
    if (answer.body.size() > kOidcMaxResponseBytes)
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("%1 answered more than %2 bytes").arg(where).arg(kOidcMaxResponseBytes));
    answer.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    return answer;
}

QString clientAuthMethodName(ClientAuthMethod method)
{
    switch (method) {
    case ClientAuthMethod::ClientSecretBasic:
        return QStringLiteral("client_secret_basic");
    case ClientAuthMethod::ClientSecretPost:
        return QStringLiteral("client_secret_post");
    case ClientAuthMethod::PrivateKeyJwt:
        return QStringLiteral("private_key_jwt");
    }
    return {};
}

std::optional<ClientAuthMethod> clientAuthMethodFromName(const QString &name)
{
    for (ClientAuthMethod method :
         {ClientAuthMethod::ClientSecretBasic, ClientAuthMethod::ClientSecretPost,
          ClientAuthMethod::PrivateKeyJwt})
        if (clientAuthMethodName(method) == name)
            return method;
    return std::nullopt;
}

OidcProviderCache::OidcProviderCache(std::chrono::seconds ttl,
                                     std::chrono::seconds minRefreshInterval)
    : m_ttl(ttl)
    , m_minRefresh(minRefreshInterval)
{}

void OidcProviderCache::clear()
{
    std::lock_guard lock(m_mutex);
    m_metadata.clear();
    m_keys.clear();
}

Result<OidcProviderMetadata> OidcProviderCache::metadata(const QString &issuer)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_metadata.constFind(issuer);
        if (it != m_metadata.constEnd() && it->fetchedAt.secsTo(now) < m_ttl.count())
            return it->metadata;
    }
    QString base = issuer;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    const QUrl url(base + QStringLiteral("/.well-known/openid-configuration"), QUrl::StrictMode);
    auto answer = oidcHttp("GET", url);
    if (!answer)
        return answer.error().context(QStringLiteral("OIDC discovery"));
    if (answer->status != 200)
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("OIDC discovery: the provider answered %1").arg(answer->status));
    auto parsed = parseDiscovery(answer->body, issuer);
    if (!parsed)
        return makeError(ErrorCode::Config, parsed.error().message);
    std::lock_guard lock(m_mutex);
    m_metadata.insert(issuer, Cached{*parsed, now});
    return *parsed;
}

Result<JwkSet> OidcProviderCache::keys(const OidcProviderMetadata &provider, bool refresh)
{
    const QString key = provider.jwksUri.toString();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_keys.constFind(key);
        if (it != m_keys.constEnd()) {
            if (!refresh && it->fetchedAt.secsTo(now) < m_ttl.count())
                return it->keys;
            // Refreshes forced by unknown kids are rate-limited: a token naming random kids
            // must not make us fetch on every request.
            if (refresh && it->forcedAt.isValid() &&
                it->forcedAt.secsTo(now) < m_minRefresh.count())
                return it->keys;
        }
    }
    auto answer = oidcHttp("GET", provider.jwksUri);
    if (!answer)
        return answer.error().context(QStringLiteral("OIDC JWKS"));
    if (answer->status != 200)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("OIDC JWKS: the provider answered %1").arg(answer->status));
    auto parsed = JwkSet::parse(answer->body);
    if (!parsed)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("OIDC JWKS: ") + parsed.error().message);
    std::lock_guard lock(m_mutex);
    m_keys.insert(key, CachedKeys{*parsed, now, refresh ? now : QDateTime()});
    return *parsed;
}

Result<IdTokenClaims> OidcProviderCache::validate(const OidcProviderMetadata &provider,
                                                  QByteArrayView idToken,
                                                  const IdTokenExpectations &expect)
{
    auto keySet = keys(provider);
    if (!keySet)
        return keySet.error();
    auto claims = validateIdToken(idToken, *keySet, expect);
    if (claims || claims.error().code != ErrorCode::NotFound)
        return claims;
    // The token names a key we do not hold: the provider may have rotated. Fetch once more.
    auto refreshed = keys(provider, true);
    if (!refreshed)
        return refreshed.error();
    claims = validateIdToken(idToken, *refreshed, expect);
    if (!claims && claims.error().code == ErrorCode::NotFound)
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("signed with a key the provider does not publish "
                                        "(unknown kid)"));
    return claims;
}

QUrl authorizationRequestUrl(const OidcProviderMetadata &provider, const QString &clientId,
                             const QUrl &redirectUri, const QStringList &scopes,
                             const QByteArray &state, const QByteArray &nonce,
                             const QByteArray &codeChallenge)
{
    QUrl url = provider.authorizationEndpoint;
    QUrlQuery query(url);
    auto add = [&query](const QString &name, const QString &value) {
        query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    };
    add(QStringLiteral("response_type"), QStringLiteral("code"));
    add(QStringLiteral("client_id"), clientId);
    add(QStringLiteral("redirect_uri"), redirectUri.toString(QUrl::FullyEncoded));
    add(QStringLiteral("scope"), scopes.join(QLatin1Char(' ')));
    add(QStringLiteral("state"), QString::fromLatin1(state));
    add(QStringLiteral("nonce"), QString::fromLatin1(nonce));
    add(QStringLiteral("code_challenge"), QString::fromLatin1(codeChallenge));
    add(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    url.setQuery(query.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return url;
}

Result<OidcTokens> exchangeCode(const OidcProviderMetadata &provider,
                                const OidcClientCredentials &client, const QByteArray &code,
                                const QUrl &redirectUri, const QByteArray &codeVerifier)
{
    QUrlQuery form;
    auto add = [&form](const QString &name, const QByteArray &value) {
        form.addQueryItem(name,
                          QString::fromLatin1(QUrl::toPercentEncoding(QString::fromUtf8(value))));
    };
    add(QStringLiteral("grant_type"), "authorization_code");
    add(QStringLiteral("code"), code);
    add(QStringLiteral("redirect_uri"), redirectUri.toString(QUrl::FullyEncoded).toUtf8());
    add(QStringLiteral("code_verifier"), codeVerifier);
    QList<QPair<QByteArray, QByteArray>> headers{
        {"Content-Type", "application/x-www-form-urlencoded"}};
    switch (client.method) {
    case ClientAuthMethod::ClientSecretBasic: {
        // RFC 6749 §2.3.1: both parts form-encoded before base64.
        const QByteArray user = QUrl::toPercentEncoding(client.clientId);
        const QByteArray password = QUrl::toPercentEncoding(QString::fromUtf8(client.clientSecret));
        headers.append({"Authorization", "Basic " + QByteArray(user + ':' + password).toBase64()});
        break;
    }
    case ClientAuthMethod::ClientSecretPost:
        add(QStringLiteral("client_id"), client.clientId.toUtf8());
        add(QStringLiteral("client_secret"), client.clientSecret);
        break;
    case ClientAuthMethod::PrivateKeyJwt: {
        auto assertion = buildClientAssertion(client.clientKey, client.clientId,
                                              provider.tokenEndpoint.toString(QUrl::FullyEncoded));
        if (!assertion)
            return assertion.error();
        add(QStringLiteral("client_id"), client.clientId.toUtf8());
        add(QStringLiteral("client_assertion_type"),
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        add(QStringLiteral("client_assertion"), *assertion);
        break;
    }
    }
    auto answer = oidcHttp("POST", provider.tokenEndpoint, headers,
                           form.query(QUrl::FullyEncoded).toLatin1());
    if (!answer)
        return answer.error().context(QStringLiteral("OIDC token request"));
    auto object = jsonObjectOf(*answer, QStringLiteral("OIDC token request"));
    if (!object)
        return object.error();
    if (answer->status != 200) {
        const QString error = object->value(QStringLiteral("error")).toString().left(64);
        return makeError(answer->status >= 500 ? ErrorCode::Unavailable : ErrorCode::Unauthorized,
                         QStringLiteral("the provider refused the code (%1, HTTP %2)")
                             .arg(error.isEmpty() ? QStringLiteral("no error code") : error)
                             .arg(answer->status));
    }
    OidcTokens tokens;
    tokens.idToken = object->value(QStringLiteral("id_token")).toString().toLatin1();
    tokens.accessToken = object->value(QStringLiteral("access_token")).toString().toLatin1();
    tokens.tokenType = object->value(QStringLiteral("token_type")).toString();
    if (tokens.idToken.isEmpty())
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("the provider's token answer has no id_token (is "
                                        "\"openid\" among the scopes?)"));
    return tokens;
}

Result<QJsonObject> fetchUserinfo(const OidcProviderMetadata &provider,
                                  const QByteArray &accessToken, const QString &subject)
{
    auto answer =
        oidcHttp("GET", provider.userinfoEndpoint, {{"Authorization", "Bearer " + accessToken}});
    if (!answer)
        return answer.error().context(QStringLiteral("OIDC userinfo"));
    if (answer->status != 200)
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("OIDC userinfo: the provider answered %1").arg(answer->status));
    if (!answer->contentType.startsWith("application/json"))
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("OIDC userinfo: signed or encrypted userinfo answers are "
                                        "not supported; configure plain JSON"));
    auto object = jsonObjectOf(*answer, QStringLiteral("OIDC userinfo"));
    if (!object)
        return object.error();
    if (object->value(QStringLiteral("sub")).toString() != subject)
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("OIDC userinfo refused: its sub is not the ID token's"));
    return *object;
}

} // namespace upcoach::identity
