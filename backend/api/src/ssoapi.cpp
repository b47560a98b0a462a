// SAML single sign-on routes (backend/api/README.md, "SSO routes"): the tenant's SP metadata,
// SP-initiated login (a 302 to the IdP) and the HTTP-POST ACS. Public — browsers and IdPs call
// them — and blocking (PostgreSQL, RSA), so they run on the worker pool. SsoService records
// every login attempt in the audit log itself. Also SCIM 2.0 (/scim/v2/{tenant}/..., the
// tenant's SCIM token, checked by ScimService) and the operators' SCIM token routes.
#include "requestparsing.h"
#include "serverprivate.h"
#include "tenantroutes.h"
#include "upcoach/identity/scimerror.h"
#include "upcoach/identity/scimservice.h"
#include "upcoach/identity/ssoservice.h"
#include "upcoach/tenancy/tenant.h"

#include <QJsonArray>
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
    qCWarning(lcApi).noquote() << "SSO failed internally:" << error.message;
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

// Who signed in, and the session the sign-in started (its tokens, and whether it owes a second
// factor) when the server has a session service.
Answer loginAnswer(const Result<identity::SsoLogin> &login)
{
    if (!login)
        return problemAnswer(ssoProblem(login.error()));
    QJsonObject json{
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
    };
    if (login->session)
        json.insert(QStringLiteral("session"), sessionTokensJson(*login->session));
    return jsonAnswer(json);
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

// ---- SSO connections: /api/v1/sso/presets, /api/v1/tenants/{slug}/sso/... ----

namespace {

constexpr qsizetype kMaxConnectionBodyBytes = 256 * 1024; // IdP metadata with certificates

QJsonObject presetJson(const identity::SsoPreset &preset)
{
    return QJsonObject{{QStringLiteral("id"), preset.id},
                       {QStringLiteral("displayName"), preset.displayName},
                       {QStringLiteral("emailAttribute"), preset.emailAttribute},
                       {QStringLiteral("displayNameAttribute"), preset.displayNameAttribute},
                       {QStringLiteral("groupsAttribute"), preset.groupsAttribute},
                       {QStringLiteral("samlMfaContextClassRef"), preset.mfaContextClassRef},
                       {QStringLiteral("oidcIssuerTemplate"), preset.oidcIssuerTemplate},
                       {QStringLiteral("oidcMfaAmr"), preset.oidcMfaAmr}};
}

QJsonObject connectionJson(const identity::SsoConnection &connection, const QString &base,
                           const QString &slug)
{
    QJsonObject json{
        {QStringLiteral("id"), connection.id.toString(QUuid::WithoutBraces)},
        {QStringLiteral("name"), connection.name},
        {QStringLiteral("protocol"), connection.protocol},
        {QStringLiteral("preset"), connection.preset},
        {QStringLiteral("enabled"), connection.enabled},
        {QStringLiteral("emailDomains"), QJsonArray::fromStringList(connection.emailDomains)},
        {QStringLiteral("settings"), identity::publicConnectionSettings(connection.settings)},
        {QStringLiteral("version"), connection.version},
        {QStringLiteral("createdAt"), timeOrNull(connection.createdAt)},
        {QStringLiteral("updatedAt"), timeOrNull(connection.updatedAt)}};
    const QString prefix = base + QStringLiteral("/sso/") + connection.protocol + u'/' + slug;
    if (connection.protocol == QLatin1String("saml")) {
        json.insert(QStringLiteral("spMetadataUrl"), QString(prefix + QStringLiteral("/metadata")));
        json.insert(QStringLiteral("acsUrl"), QString(prefix + QStringLiteral("/acs")));
        json.insert(QStringLiteral("loginUrl"),
                    QString(prefix + QStringLiteral("/login?connection=") +
                            QString::fromLatin1(QUrl::toPercentEncoding(connection.name))));
    } else {
        json.insert(QStringLiteral("redirectUri"), QString(prefix + QStringLiteral("/callback")));
        json.insert(QStringLiteral("loginUrl"),
                    QString(prefix + QStringLiteral("/login?connection=") +
                            QString::fromLatin1(QUrl::toPercentEncoding(connection.name))));
    }
    return json;
}

} // namespace

void ApiServer::Private::listSsoPresets(const RequestPtr &request)
{
    QJsonArray presets;
    for (const identity::SsoPreset &preset : identity::ssoPresets())
        presets.append(presetJson(preset));
    finish(request, jsonAnswer(QJsonObject{{QStringLiteral("presets"), presets}}));
}

void ApiServer::Private::listSsoConnections(const RequestPtr &request)
{
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    if (!deps.sso)
        return finish(request, problemAnswer(ssoUnavailable()));
    identity::SsoService *sso = deps.sso;
    const QString base =
        sso->publicBaseUrl().toString(QUrl::FullyEncoded | QUrl::StripTrailingSlash);
    blocking(
        request, [sso, slug = *slug] { return sso->connections(slug); },
        [this, request, slug = *slug,
         base](const Result<std::vector<identity::SsoConnection>> &connections) {
            if (!connections)
                return finish(request, problemAnswer(ssoProblem(connections.error())));
            QJsonArray items;
            for (const identity::SsoConnection &connection : *connections)
                items.append(connectionJson(connection, base, slug));
            finish(request, jsonAnswer(QJsonObject{{QStringLiteral("tenant"), slug},
                                                   {QStringLiteral("connections"), items}}));
        });
}

std::optional<identity::NewSsoConnection>
ApiServer::Private::ssoConnectionInput(const RequestPtr &request)
{
    auto fail = [&](const Problem &problem) {
        finishFailed(request, problem);
        return std::nullopt;
    };
    if (mediaType(request->contentType) != "application/json")
        return fail(unsupported(QStringLiteral("application/json")));
    if (request->body.size() > kMaxConnectionBodyBytes)
        return fail(payloadTooLarge(kMaxConnectionBodyBytes));
    auto parsed = jsonObjectBody(
        request->body,
        QStringLiteral("{\"name\": \"Okta\", \"protocol\": \"saml\", "
                       "\"preset\": \"okta\", \"metadataXml\": \"<md:EntityDescriptor "
                       "...\", \"emailDomains\": [\"example.com\"]}"));
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return fail(*problem);
    const QJsonObject body = std::get<QJsonObject>(parsed);
    if (std::optional<Problem> unknown =
            refuseUnknownFields(body, {QStringLiteral("name"), QStringLiteral("protocol"),
                                       QStringLiteral("preset"), QStringLiteral("emailDomains"),
                                       QStringLiteral("settings"), QStringLiteral("metadataXml")}))
        return fail(*unknown);
    identity::NewSsoConnection input;
    for (const auto &[field, target] : {std::pair{QStringLiteral("name"), &input.name},
                                        std::pair{QStringLiteral("protocol"), &input.protocol},
                                        std::pair{QStringLiteral("preset"), &input.preset}}) {
        if (!present(body, field))
            continue;
        if (std::optional<Problem> problem = readString(body, field, target))
            return fail(*problem);
    }
    const QJsonValue domains = body.value(QStringLiteral("emailDomains"));
    if (!domains.isUndefined()) {
        if (!domains.isArray() || domains.toArray().size() > 50)
            return fail(invalidField(QStringLiteral("emailDomains"),
                                     QStringLiteral("an array of at most 50 domains")));
        for (const QJsonValue &domain : domains.toArray()) {
            if (!domain.isString())
                return fail(invalidField(QStringLiteral("emailDomains"),
                                         QStringLiteral("an array of domains")));
            input.emailDomains.append(domain.toString());
        }
    }
    const QJsonValue settings = body.value(QStringLiteral("settings"));
    if (!settings.isUndefined() && !settings.isObject())
        return fail(invalidField(QStringLiteral("settings"), QStringLiteral("an object")));
    QString metadata;
    if (present(body, QStringLiteral("metadataXml")))
        if (std::optional<Problem> problem =
                readString(body, QStringLiteral("metadataXml"), &metadata))
            return fail(*problem);
    auto completed = identity::connectionSettingsFrom(input.protocol, input.preset,
                                                      settings.toObject(), metadata.toUtf8());
    if (!completed)
        return fail(domainProblem(completed.error()));
    input.settings = *completed;
    return input;
}

std::optional<QUuid> ApiServer::Private::ssoConnectionId(const RequestPtr &request)
{
    const QUuid id =
        QUuid::fromString(QUrl::fromPercentEncoding(request->parameters.value(1).toUtf8()));
    if (id.isNull()) {
        finishFailed(request, badRequest(QStringLiteral("the connection id is a UUID")));
        return std::nullopt;
    }
    return id;
}

void ApiServer::Private::createSsoConnection(const RequestPtr &request)
{
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    if (!deps.sso)
        return finish(request, problemAnswer(ssoUnavailable()));
    const std::optional<identity::NewSsoConnection> input = ssoConnectionInput(request);
    if (!input)
        return;
    identity::SsoService *sso = deps.sso;
    const compliance::ActorContext actor = tenantActor(*request);
    const QString base =
        sso->publicBaseUrl().toString(QUrl::FullyEncoded | QUrl::StripTrailingSlash);
    blocking(
        request,
        [sso, slug = *slug, input = *input, actor] {
            return sso->createConnection(slug, input, actor);
        },
        [this, request, slug = *slug, base](const Result<identity::SsoConnection> &created) {
            if (!created)
                return finish(request, problemAnswer(domainProblem(created.error())));
            finish(request, jsonAnswer(connectionJson(*created, base, slug), 201));
        });
}

void ApiServer::Private::updateSsoConnection(const RequestPtr &request)
{
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    if (!deps.sso)
        return finish(request, problemAnswer(ssoUnavailable()));
    const std::optional<QUuid> id = ssoConnectionId(request);
    if (!id)
        return;
    auto match = parseIfMatch(request->ifMatch);
    if (const Problem *problem = std::get_if<Problem>(&match))
        return finishFailed(request, *problem);
    const IfMatch ifMatch = std::get<IfMatch>(match);
    std::optional<QList<qint64>> expected; // nullopt: any version
    if (ifMatch.present && !ifMatch.any)
        expected = ifMatch.versions;
    const std::optional<identity::NewSsoConnection> input = ssoConnectionInput(request);
    if (!input)
        return;
    identity::SsoService *sso = deps.sso;
    const compliance::ActorContext actor = tenantActor(*request);
    const QString base =
        sso->publicBaseUrl().toString(QUrl::FullyEncoded | QUrl::StripTrailingSlash);
    blocking(
        request,
        [sso, slug = *slug, id = *id, input = *input, expected, actor] {
            return sso->updateConnection(slug, id, input, expected, actor);
        },
        [this, request, slug = *slug, base](const Result<identity::SsoConnection> &updated) {
            if (!updated) {
                if (updated.error().code == ErrorCode::Conflict &&
                    updated.error().message == identity::kStaleConnectionVersion)
                    return finish(request,
                                  problemAnswer(preconditionFailed(updated.error().message)));
                return finish(request, problemAnswer(domainProblem(updated.error())));
            }
            Answer answer = jsonAnswer(connectionJson(*updated, base, slug));
            answer.headers.emplace_back(QByteArrayLiteral("ETag"), versionETag(updated->version));
            finish(request, answer);
        });
}

void ApiServer::Private::changeSsoConnection(const RequestPtr &request,
                                             const SsoConnectionChange &change, const Answer &done)
{
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    if (!deps.sso)
        return finish(request, problemAnswer(ssoUnavailable()));
    const std::optional<QUuid> id = ssoConnectionId(request);
    if (!id)
        return;
    if (const std::optional<Problem> problem = checkNoBody(request->contentType, request->body))
        return finishFailed(request, *problem);
    identity::SsoService *sso = deps.sso;
    const compliance::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [sso, change, slug = *slug, id = *id, actor] { return change(*sso, slug, id, actor); },
        [this, request, done](const Status &changed) {
            if (!changed)
                return finish(request, problemAnswer(domainProblem(changed.error())));
            finish(request, done);
        });
}

void ApiServer::Private::deleteSsoConnection(const RequestPtr &request)
{
    changeSsoConnection(
        request,
        [](identity::SsoService &sso, const QString &slug, const QUuid &id,
           const compliance::ActorContext &actor) { return sso.deleteConnection(slug, id, actor); },
        Answer{204, {}, {}, {}});
}

void ApiServer::Private::setSsoConnectionEnabled(const RequestPtr &request, bool enabled)
{
    changeSsoConnection(
        request,
        [enabled](identity::SsoService &sso, const QString &slug, const QUuid &id,
                  const compliance::ActorContext &actor) {
            return sso.setConnectionEnabled(slug, id, enabled, actor);
        },
        jsonAnswer(QJsonObject{{QStringLiteral("enabled"), enabled}}));
}

void ApiServer::Private::previewSsoRole(const RequestPtr &request)
{
    if (mediaType(request->contentType) != "application/json")
        return finishFailed(request, unsupported(QStringLiteral("application/json")));
    if (request->body.size() > 64 * 1024)
        return finishFailed(request, payloadTooLarge(64 * 1024));
    auto parsed = jsonObjectBody(
        request->body, QStringLiteral("{\"settings\": {\"defaultRole\": \"coachee\", "
                                      "\"roleRules\": [...]}, \"nameId\": \"ada@example.com\", "
                                      "\"attributes\": {\"groups\": [\"coaches\"]}}"));
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return finishFailed(request, *problem);
    const QJsonObject body = std::get<QJsonObject>(parsed);
    if (std::optional<Problem> unknown =
            refuseUnknownFields(body, {QStringLiteral("settings"), QStringLiteral("nameId"),
                                       QStringLiteral("attributes")}))
        return finishFailed(request, *unknown);
    // The unsaved rules are checked exactly as the store will check them (OIDC's settings
    // parser needs no IdP fields beyond issuer and client; the mapping part is shared).
    QJsonObject settings = body.value(QStringLiteral("settings")).toObject();
    settings.insert(QStringLiteral("issuer"), QStringLiteral("https://preview.invalid"));
    settings.insert(QStringLiteral("clientId"), QStringLiteral("preview"));
    auto mapping = identity::oidcSettingsFromJson(settings);
    if (!mapping)
        return finishFailed(request, domainProblem(mapping.error()));
    QHash<QString, QStringList> attributes;
    const QJsonObject given = body.value(QStringLiteral("attributes")).toObject();
    if (given.size() > 100)
        return finishFailed(request, invalidField(QStringLiteral("attributes"),
                                                  QStringLiteral("at most 100 attributes")));
    for (auto it = given.begin(); it != given.end(); ++it) {
        QStringList values;
        if (it.value().isString())
            values << it.value().toString();
        for (const QJsonValue &value : it.value().toArray())
            values << value.toString();
        attributes.insert(it.key(), values);
    }
    const identity::SsoUser user = identity::SsoService::previewUser(
        *mapping, body.value(QStringLiteral("nameId")).toString().left(320), attributes);
    const int rule = identity::matchingRoleRule(*mapping, attributes);
    const QJsonValue matched =
        rule < 0 ? QJsonValue(QJsonValue::Null)
                 : QJsonValue(QJsonObject{
                       {QStringLiteral("index"), rule},
                       {QStringLiteral("attribute"), mapping->roleRules[size_t(rule)].attribute},
                       {QStringLiteral("value"), mapping->roleRules[size_t(rule)].value}});
    finish(request,
           jsonAnswer(QJsonObject{{QStringLiteral("email"), user.email},
                                  {QStringLiteral("displayName"), user.displayName},
                                  {QStringLiteral("role"), user.role},
                                  {QStringLiteral("matchedRule"), matched},
                                  {QStringLiteral("jitProvisioning"), mapping->jitProvisioning}}));
}

} // namespace upcoach::api
