// SAML single sign-on routes (backend/api/README.md, "SSO routes"): the tenant's SP metadata,
// SP-initiated login (a 302 to the IdP) and the HTTP-POST ACS. Public — browsers and IdPs call
// them — and blocking (PostgreSQL, RSA), so they run on the worker pool. SsoService records
// every login attempt in the audit log itself. Also SCIM 2.0 (/scim/v2/{tenant}/..., the
// tenant's SCIM token, checked by ScimService) and the operators' SCIM token routes.
#include "serverprivate.h"
#include "tenantroutes.h"
#include "upcoach/identity/scimerror.h"
#include "upcoach/identity/scimservice.h"
#include "upcoach/identity/ssoservice.h"
#include "upcoach/tenancy/tenant.h"

#include <QJsonDocument>
#include <QUrlQuery>

namespace upcoach::api {

using namespace detail;

namespace {

constexpr qsizetype kMaxRelayState = 80; // SAML Bindings §3.4.3 / §3.5.3

Problem ssoUnavailable()
{
    return Problem{503,
                   QStringLiteral("sso-unavailable"),
                   QStringLiteral("SSO is not available"),
                   QStringLiteral("this server has no SSO service configured"),
                   {}};
}

Problem ssoProblem(const Error &error)
{
    switch (error.code) {
    case ErrorCode::NotFound:
        return Problem{
            404, QStringLiteral("not-found"), QStringLiteral("Not found"), error.message, {}};
    case ErrorCode::InvalidInput:
        return Problem{400,
                       QStringLiteral("invalid-saml-message"),
                       QStringLiteral("Malformed SAML message"),
                       error.message,
                       {}};
    case ErrorCode::Unauthorized:
        return Problem{401,
                       QStringLiteral("sso-refused"),
                       QStringLiteral("Sign-in refused"),
                       error.message,
                       {}};
    case ErrorCode::Forbidden:
    case ErrorCode::Conflict:
        return Problem{403,
                       QStringLiteral("sso-forbidden"),
                       QStringLiteral("Sign-in not allowed"),
                       error.message,
                       {}};
    case ErrorCode::Config:
        return Problem{503,
                       QStringLiteral("sso-misconfigured"),
                       QStringLiteral("The SSO connection is misconfigured"),
                       error.message,
                       {}};
    case ErrorCode::Unavailable:
        return Problem{503,
                       QStringLiteral("sso-unavailable"),
                       QStringLiteral("SSO is not available"),
                       error.message,
                       {}};
    case ErrorCode::Internal:
        break;
    }
    return internalError();
}

// application/x-www-form-urlencoded (HTML forms): '+' is a space, %XX a byte. Repeated names
// keep the first. QUrlQuery leaves '+' alone, which would corrupt base64 values.
std::optional<QHash<QString, QByteArray>> parseForm(const QByteArray &body)
{
    QHash<QString, QByteArray> fields;
    for (const QByteArray &pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        QByteArray name = eq < 0 ? pair : pair.left(eq);
        QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        name.replace('+', ' ');
        value.replace('+', ' ');
        const QString key = QString::fromUtf8(QByteArray::fromPercentEncoding(name));
        if (key.size() > 64)
            return std::nullopt;
        if (!fields.contains(key))
            fields.insert(key, QByteArray::fromPercentEncoding(value));
    }
    return fields;
}

compliance::ActorContext anonymousActor(const QHostAddress &peer, const QString &requestId)
{
    compliance::ActorContext actor;
    actor.actor = QStringLiteral("anonymous");
    actor.sourceIp = sourceAddressText(peer);
    actor.requestId = requestId;
    return actor;
}

// Who signed in. No browser session yet: the answer says who (session tokens are the next
// step of backend/identity, see its README).
Answer loginAnswer(const Result<identity::SsoLogin> &login)
{
    if (!login)
        return problemAnswer(ssoProblem(login.error()));
    return jsonAnswer(QJsonObject{
        {QStringLiteral("tenant"), login->tenant},
        {QStringLiteral("connection"), login->connectionName},
        {QStringLiteral("user"),
         QJsonObject{{QStringLiteral("id"), login->user.id},
                     {QStringLiteral("email"), login->user.email},
                     {QStringLiteral("displayName"), login->user.displayName},
                     {QStringLiteral("role"), login->user.role}}},
        {QStringLiteral("provisioned"), login->created},
        {QStringLiteral("mfa"), login->mfaSatisfied},
        {QStringLiteral("idpInitiated"), login->idpInitiated},
        {QStringLiteral("relayState"), login->relayState},
    });
}

Answer redirectAnswer(const QUrl &location)
{
    Answer answer;
    answer.status = 302;
    answer.contentType = QByteArrayLiteral("text/plain");
    answer.headers.emplace_back(QByteArrayLiteral("Location"), location.toEncoded());
    return answer;
}

} // namespace

std::optional<QString> ApiServer::Private::ssoTenant(const RequestPtr &request)
{
    if (!deps.sso) {
        finish(request, problemAnswer(ssoUnavailable()));
        return std::nullopt;
    }
    if (!tenancy::validateSlug(request->parameter)) {
        finish(request, problemAnswer(notFound()));
        return std::nullopt;
    }
    return request->parameter;
}

void ApiServer::Private::samlMetadata(const RequestPtr &request)
{
    const std::optional<QString> slug = ssoTenant(request);
    if (!slug)
        return;
    identity::SsoService *sso = deps.sso;
    blocking(
        request, [sso, slug = *slug] { return sso->spMetadata(slug); },
        [this, request](Result<QByteArray> metadata) {
            if (!metadata)
                return finish(request, problemAnswer(ssoProblem(metadata.error())));
            Answer answer;
            answer.contentType = QByteArrayLiteral("application/samlmetadata+xml");
            answer.body = std::move(*metadata);
            finish(request, answer);
        });
}

void ApiServer::Private::samlLogin(const RequestPtr &request)
{
    const std::optional<QString> slug = ssoTenant(request);
    if (!slug)
        return;
    const QUrlQuery query(request->url);
    const QString connection =
        query.queryItemValue(QStringLiteral("connection"), QUrl::FullyDecoded);
    const QString relayState =
        query.queryItemValue(QStringLiteral("RelayState"), QUrl::FullyDecoded);
    if (connection.size() > 100 || relayState.toUtf8().size() > kMaxRelayState)
        return finish(request, problemAnswer(badRequest(QStringLiteral(
                                   "connection is at most 100 characters and RelayState at most "
                                   "80 bytes"))));
    identity::SsoService *sso = deps.sso;
    const compliance::ActorContext actor = anonymousActor(request->peer, request->requestId);
    blocking(
        request,
        [sso, slug = *slug, connection, relayState, actor] {
            return sso->beginSamlLogin(slug, connection, relayState, actor);
        },
        [this, request](const Result<QUrl> &redirect) {
            if (!redirect)
                return finish(request, problemAnswer(ssoProblem(redirect.error())));
            finish(request, redirectAnswer(*redirect));
        });
}

void ApiServer::Private::samlAcs(const RequestPtr &request)
{
    const std::optional<QString> slug = ssoTenant(request);
    if (!slug)
        return;
    if (!request->contentType.toLower().startsWith("application/x-www-form-urlencoded"))
        return finish(request, problemAnswer(unsupportedMediaType()));
    const auto form = parseForm(request->body);
    if (!form || !form->contains(QStringLiteral("SAMLResponse")))
        return finish(
            request, problemAnswer(badRequest(QStringLiteral("the form must carry SAMLResponse"))));
    const QByteArray response = form->value(QStringLiteral("SAMLResponse"));
    const QString relayState =
        QString::fromUtf8(form->value(QStringLiteral("RelayState"))).left(int(kMaxRelayState));
    identity::SsoService *sso = deps.sso;
    const compliance::ActorContext actor = anonymousActor(request->peer, request->requestId);
    blocking(
        request,
        [sso, slug = *slug, response, relayState, actor] {
            return sso->completeSamlLogin(slug, response, relayState, actor);
        },
        [this, request](const Result<identity::SsoLogin> &login) {
            finish(request, loginAnswer(login));
        });
}

// ---- OpenID Connect: /sso/oidc/{tenant}/login|callback|jwks ----

void ApiServer::Private::oidcLogin(const RequestPtr &request)
{
    const std::optional<QString> slug = ssoTenant(request);
    if (!slug)
        return;
    const QUrlQuery query(request->url);
    const QString connection =
        query.queryItemValue(QStringLiteral("connection"), QUrl::FullyDecoded);
    const QString returnTo = query.queryItemValue(QStringLiteral("returnTo"), QUrl::FullyDecoded);
    if (connection.size() > 100 || returnTo.size() > 1024)
        return finish(request, problemAnswer(badRequest(QStringLiteral(
                                   "connection is at most 100 characters and returnTo at most "
                                   "1024"))));
    identity::SsoService *sso = deps.sso;
    const compliance::ActorContext actor = anonymousActor(request->peer, request->requestId);
    blocking(
        request,
        [sso, slug = *slug, connection, returnTo, actor] {
            return sso->beginOidcLogin(slug, connection, returnTo, actor);
        },
        [this, request](const Result<QUrl> &redirect) {
            if (!redirect)
                return finish(request, problemAnswer(ssoProblem(redirect.error())));
            finish(request, redirectAnswer(*redirect));
        });
}

void ApiServer::Private::oidcCallback(const RequestPtr &request)
{
    const std::optional<QString> slug = ssoTenant(request);
    if (!slug)
        return;
    const QUrlQuery query(request->url);
    const QByteArray state =
        query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded).toUtf8();
    const QByteArray code =
        query.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded).toUtf8();
    const QString error = query.queryItemValue(QStringLiteral("error"), QUrl::FullyDecoded);
    if (state.isEmpty() || state.size() > 128)
        return finish(request,
                      problemAnswer(badRequest(QStringLiteral("the callback must carry state"))));
    identity::SsoService *sso = deps.sso;
    const compliance::ActorContext actor = anonymousActor(request->peer, request->requestId);
    blocking(
        request,
        [sso, slug = *slug, code, state, error, actor] {
            return sso->completeOidcLogin(slug, code, state, error, actor);
        },
        [this, request](const Result<identity::SsoLogin> &login) {
            finish(request, loginAnswer(login));
        });
}

void ApiServer::Private::oidcJwks(const RequestPtr &request)
{
    const std::optional<QString> slug = ssoTenant(request);
    if (!slug)
        return;
    identity::SsoService *sso = deps.sso;
    blocking(
        request, [sso, slug = *slug] { return sso->oidcClientJwks(slug); },
        [this, request](const Result<QByteArray> &jwks) {
            if (!jwks)
                return finish(request, problemAnswer(ssoProblem(jwks.error())));
            Answer answer;
            answer.contentType = QByteArrayLiteral("application/jwk-set+json");
            answer.body = *jwks;
            finish(request, answer);
        });
}

// ---- SCIM 2.0: /scim/v2/{tenant}/{endpoint}[/{id}] ----

void ApiServer::Private::scimEndpoint(const RequestPtr &request)
{
    if (!deps.scim)
        return finish(request, problemAnswer(Problem{503,
                                                     QStringLiteral("scim-unavailable"),
                                                     QStringLiteral("SCIM is not available"),
                                                     QStringLiteral("this server has no SCIM "
                                                                    "service configured"),
                                                     {}}));
    identity::ScimHttpRequest scim;
    scim.tenant = QUrl::fromPercentEncoding(request->parameters.value(0).toUtf8());
    for (qsizetype i = 1; i < request->parameters.size(); ++i)
        scim.path << QUrl::fromPercentEncoding(request->parameters.at(i).toUtf8());
    if (!tenancy::validateSlug(scim.tenant)) {
        Answer answer = rawJsonAnswer(
            QJsonDocument(
                identity::scim::ScimError{404, {}, QStringLiteral("no such tenant")}.toJson())
                .toJson(QJsonDocument::Compact),
            404);
        answer.contentType = QByteArrayLiteral("application/scim+json");
        return finish(request, answer);
    }
    scim.method = methodName(request->method);
    // Form-style '+' for spaces, as some SCIM clients send filters ("userName+eq+%22x%22").
    QString query = request->url.query(QUrl::FullyEncoded);
    query.replace(QLatin1Char('+'), QStringLiteral("%20"));
    scim.query = QUrlQuery(query);
    scim.body = request->body;
    scim.contentType = request->contentType;
    scim.bearerToken = request->scimToken;
    scim.ifMatch = request->ifMatch;
    scim.ifNoneMatch = headerValues(request->headers, "if-none-match");
    QUrl base = deps.sso ? deps.sso->publicBaseUrl() : QUrl();
    if (base.isEmpty())
        base = request->url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment);
    scim.baseUrl =
        base.toString(QUrl::StripTrailingSlash) + QStringLiteral("/scim/v2/") + scim.tenant;
    scim.caller.sourceIp = sourceAddressText(request->peer);
    scim.caller.requestId = request->requestId;
    identity::ScimService *service = deps.scim;
    blocking(
        request, [service, scim] { return service->handle(scim); },
        [this, request](const identity::ScimHttpResponse &response) {
            Answer answer;
            answer.status = response.status;
            answer.contentType = QByteArrayLiteral("application/scim+json");
            if (response.status != 204 && response.status != 304)
                answer.body = QJsonDocument(response.body).toJson(QJsonDocument::Compact);
            if (!response.etag.isEmpty())
                answer.headers.emplace_back(QByteArrayLiteral("ETag"), response.etag);
            if (!response.location.isEmpty())
                answer.headers.emplace_back(QByteArrayLiteral("Location"),
                                            response.location.toUtf8());
            if (response.unauthorized)
                answer.headers.emplace_back(QByteArrayLiteral("WWW-Authenticate"),
                                            QByteArrayLiteral("Bearer realm=\"scim\""));
            finish(request, answer);
        });
}

// ---- GET/POST /api/v1/tenants/{slug}/scim-token ----

QString ApiServer::Private::scimBaseUrl(const QString &slug) const
{
    return deps.sso->publicBaseUrl().toString(QUrl::StripTrailingSlash) +
           QStringLiteral("/scim/v2/") + slug;
}

void ApiServer::Private::scimTokenStatus(const RequestPtr &request)
{
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    if (!deps.sso)
        return finish(request, problemAnswer(ssoUnavailable()));
    identity::SsoService *sso = deps.sso;
    blocking(
        request, [sso, slug = *slug] { return sso->scimTokenIssuedAt(slug); },
        [this, request, slug = *slug](const Result<std::optional<QDateTime>> &issued) {
            if (!issued)
                return finish(request, problemAnswer(ssoProblem(issued.error())));
            finish(request,
                   jsonAnswer(QJsonObject{{QStringLiteral("tenant"), slug},
                                          {QStringLiteral("issuedAt"),
                                           issued->has_value()
                                               ? QJsonValue((*issued)->toString(Qt::ISODateWithMs))
                                               : QJsonValue(QJsonValue::Null)},
                                          {QStringLiteral("scimBaseUrl"), scimBaseUrl(slug)}}));
        });
}

void ApiServer::Private::rotateScimToken(const RequestPtr &request)
{
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    if (!deps.sso)
        return finish(request, problemAnswer(ssoUnavailable()));
    if (const std::optional<Problem> problem = checkNoBody(request->contentType, request->body))
        return finish(request, problemAnswer(*problem));
    identity::SsoService *sso = deps.sso;
    const compliance::ActorContext actor = tenantActor(*request);
    blocking(
        request, [sso, slug = *slug, actor] { return sso->rotateScimToken(slug, actor); },
        [this, request, slug = *slug](const Result<identity::IssuedScimToken> &issued) {
            if (!issued)
                return finish(request, problemAnswer(ssoProblem(issued.error())));
            // The secret is in this answer only; it is stored as a hash.
            finish(request,
                   jsonAnswer(
                       QJsonObject{{QStringLiteral("tenant"), slug},
                                   {QStringLiteral("token"), QString::fromLatin1(issued->secret)},
                                   {QStringLiteral("scimBaseUrl"), scimBaseUrl(slug)}},
                       201));
        });
}

} // namespace upcoach::api
